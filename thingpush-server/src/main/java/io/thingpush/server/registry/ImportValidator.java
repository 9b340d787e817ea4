package io.thingpush.server.registry;

import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.directory.User;
import io.thingpush.server.registry.RegistryFile.AreaEntry;
import io.thingpush.server.registry.RegistryFile.DeviceEntry;
import io.thingpush.server.registry.RegistryFile.DeviceGrantEntry;
import io.thingpush.server.registry.RegistryFile.GrantEntry;
import io.thingpush.server.registry.RegistryFile.ProductEntry;
import io.thingpush.server.registry.RegistryFile.ProjectEntry;
import io.thingpush.server.registry.RegistryFile.TenantEntry;
import io.thingpush.server.registry.RegistryFile.UserEntry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks the references of a parsed file against the file itself and the registry as it is: every
 * tenant, project, area, product and shared device named exists in one of the two, tenants match,
 * and no id already taken by another tenant or project is reused (ids and user ids are
 * installation-unique).
 */
final class ImportValidator {
  private final Directory existing;
  private final ImportProblems problems = new ImportProblems();
  // What the registry will hold after the import, as far as references need: the file wins.
  private final Set<String> tenants = new HashSet<>();
  private final Map<String, String> projectTenant = new HashMap<>();
  private final Map<String, String> areaProject = new HashMap<>();
  private final Map<String, String> productTenant = new HashMap<>();
  // Devices of the file ("product/name"): with their product, their tenant is known.
  private final Set<String> fileDevices = new HashSet<>();

  private ImportValidator(Directory existing) {
    this.existing = existing;
    existing.tenants().stream().map(Tenant::code).forEach(tenants::add);
    existing.projects().forEach(p -> projectTenant.put(p.id(), p.tenantCode()));
    existing.areas().forEach(a -> areaProject.put(a.id(), a.projectId()));
    existing.products().forEach(p -> productTenant.put(p.id(), p.tenantCode()));
  }

  /**
   * @throws RegistryImportException listing every problem found
   */
  static void check(RegistryFile file, Directory existing) {
    new ImportValidator(existing).checkAll(file);
  }

  private void checkAll(RegistryFile file) {
    file.tenants().stream().map(TenantEntry::code).forEach(tenants::add);
    file.projects().forEach(this::project);
    file.areas().forEach(this::area);
    file.products().forEach(this::product);
    file.devices().forEach(this::device);
    file.users().forEach(this::user);
    file.grants().forEach(this::grant);
    file.deviceGrants().forEach(this::deviceGrant);
    problems.throwIfAny();
  }

  private void project(ProjectEntry p) {
    knownTenant(p.tenant(), p.path());
    Project stored = existing.project(p.id()).orElse(null);
    if (stored != null && !stored.tenantCode().equals(p.tenant())) {
      problems.add(
          JsonFields.at(p.path(), "id"),
          "project " + p.id() + " already exists in tenant " + stored.tenantCode());
      return;
    }
    projectTenant.put(p.id(), p.tenant());
  }

  private void area(AreaEntry a) {
    Area stored = existing.area(a.id()).orElse(null);
    if (stored != null && !stored.projectId().equals(a.projectId())) {
      problems.add(
          JsonFields.at(a.path(), "id"),
          "area " + a.id() + " already exists in project " + stored.projectId());
      return;
    }
    // No cycle can arise: a file area's parent is always a file area (the nesting), so walking
    // up from any area leaves the file at most once and never re-enters it.
    areaProject.put(a.id(), a.projectId());
  }

  private void product(ProductEntry p) {
    knownTenant(p.tenant(), p.path());
    Product stored = existing.product(p.id()).orElse(null);
    if (stored != null && !stored.tenantCode().equals(p.tenant())) {
      problems.add(
          JsonFields.at(p.path(), "id"),
          "product " + p.id() + " already exists in tenant " + stored.tenantCode());
      return;
    }
    productTenant.put(p.id(), p.tenant());
  }

  private void device(DeviceEntry d) {
    fileDevices.add(d.productId() + "/" + d.deviceName());
    String tenant = productTenant.get(d.productId());
    if (tenant == null) {
      problems.add(
          JsonFields.at(d.path(), "productID"), "product " + d.productId() + " does not exist");
    }
    String projectPath = JsonFields.at(d.path(), "projectID");
    String projectsTenant = projectTenant.get(d.projectId());
    if (projectsTenant == null) {
      problems.add(projectPath, "project " + d.projectId() + " does not exist");
      return;
    }
    if (tenant != null && !tenant.equals(projectsTenant)) {
      problems.add(
          projectPath,
          "project "
              + d.projectId()
              + " is in tenant "
              + projectsTenant
              + " but product "
              + d.productId()
              + " is in tenant "
              + tenant);
      return;
    }
    if (d.areaId() != null) {
      areaInProject(d.areaId(), d.projectId(), JsonFields.at(d.path(), "areaID"));
    }
  }

  private void user(UserEntry u) {
    if (!knownTenant(u.tenant(), u.path())) {
      return;
    }
    User stored = existing.user(u.userId()).orElse(null);
    if (stored != null && !stored.tenantCode().equals(u.tenant())) {
      problems.add(
          JsonFields.at(u.path(), "userID"),
          "user " + u.userId() + " already exists in tenant " + stored.tenantCode());
    }
  }

  /** The device must exist (in the file or the registry) and be of the grant's tenant. */
  private void deviceGrant(DeviceGrantEntry g) {
    if (!knownTenant(g.tenant(), g.path())) {
      return;
    }
    String devicePath = JsonFields.at(g.path(), "deviceName");
    boolean exists =
        fileDevices.contains(g.productId() + "/" + g.deviceName())
            || existing.device(g.productId(), g.deviceName()).isPresent();
    if (!exists) {
      problems.add(
          devicePath, "device " + g.productId() + "/" + g.deviceName() + " does not exist");
      return;
    }
    String tenant = productTenant.get(g.productId());
    if (!g.tenant().equals(tenant)) {
      problems.add(
          devicePath,
          "device " + g.productId() + "/" + g.deviceName() + " is not in tenant " + g.tenant());
    }
  }

  private void grant(GrantEntry g) {
    if (!knownTenant(g.tenant(), g.path())) {
      return;
    }
    String projectPath = JsonFields.at(g.path(), "projectID");
    String projectsTenant = projectTenant.get(g.projectId());
    if (projectsTenant == null) {
      problems.add(projectPath, "project " + g.projectId() + " does not exist");
      return;
    }
    if (!projectsTenant.equals(g.tenant())) {
      problems.add(projectPath, "project " + g.projectId() + " is not in tenant " + g.tenant());
      return;
    }
    String areasPath = JsonFields.at(g.path(), "areaIDs");
    for (int i = 0; i < g.areaIds().size(); i++) {
      areaInProject(g.areaIds().get(i), g.projectId(), JsonFields.at(areasPath, i));
    }
  }

  private boolean knownTenant(String code, String entryPath) {
    if (tenants.contains(code)) {
      return true;
    }
    problems.add(JsonFields.at(entryPath, "tenant"), "tenant " + code + " does not exist");
    return false;
  }

  private void areaInProject(String areaId, String projectId, String path) {
    String project = areaProject.get(areaId);
    if (project == null) {
      problems.add(path, "area " + areaId + " does not exist");
    } else if (!project.equals(projectId)) {
      problems.add(path, "area " + areaId + " is not in project " + projectId);
    }
  }
}
