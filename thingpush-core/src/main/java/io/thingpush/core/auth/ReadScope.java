package io.thingpush.core.auth;

import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one user may see of the registry, by the rules of {@link Authoriser}: the projects the
 * user may connect to (any grant in them, a shared device of them included), the readable areas
 * and devices in them (shared devices included), and the
 * products of those devices. Only the user's tenant is ever looked at. Pure: built from one
 * directory snapshot.
 *
 * @param projects projects with a grant of the user or a device shared with the user (every
 *     project of the tenant for an admin)
 * @param areas readable areas (a granted area and its sub-areas; all areas of a granted project)
 * @param devices readable devices, by product and device name
 * @param products the products of the readable devices
 */
public record ReadScope(
    List<Project> projects, List<Area> areas, List<Device> devices, List<Product> products) {

  private static final Comparator<Device> BY_NAME =
      Comparator.comparing(Device::productId).thenComparing(Device::deviceName);

  public static ReadScope of(Directory dir, Principal user) {
    List<Project> projects = new ArrayList<>();
    Set<String> projectIds = new LinkedHashSet<>();
    for (Project project : dir.projects()) {
      if (project.tenantCode().equals(user.tenantCode())
          && Authoriser.isVisible(dir, user, project.id())) {
        projects.add(project);
        projectIds.add(project.id());
      }
    }
    List<Area> areas = new ArrayList<>();
    for (Area area : dir.areas()) {
      if (projectIds.contains(area.projectId())
          && Authoriser.canRead(dir, user, area.projectId(), dir.areaPath(area.id()))) {
        areas.add(area);
      }
    }
    List<Device> devices = new ArrayList<>();
    Set<String> productIds = new LinkedHashSet<>();
    List<Device> all = new ArrayList<>(dir.devices());
    all.sort(BY_NAME); // a stable listing, whatever order the directory keeps
    for (Device device : all) {
      if (device.tenantCode().equals(user.tenantCode())
          && projectIds.contains(device.projectId())
          && Authoriser.canRead(dir, user, device)) {
        devices.add(device);
        productIds.add(device.productId());
      }
    }
    List<Product> products = new ArrayList<>();
    for (String id : productIds) {
      dir.product(id).ifPresent(products::add);
    }
    return new ReadScope(
        List.copyOf(projects), List.copyOf(areas), List.copyOf(devices), List.copyOf(products));
  }
}
