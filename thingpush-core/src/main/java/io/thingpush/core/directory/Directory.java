package io.thingpush.core.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable snapshot of the registry for the hot path: every lookup is a hash-map lookup built
 * once in {@link #of}, so no event ever waits for SQL. A change to the registry builds a new
 * snapshot and swaps it in whole.
 */
public final class Directory {
  private static final Directory EMPTY =
      of(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  private static final Set<DeviceGrant> NO_SHARES = Set.of();

  private final Map<String, Tenant> tenants;
  private final Map<String, Project> projects;
  private final Map<String, Area> areas;
  private final Map<String, Product> products;
  private final DeviceTable devices;
  private final Map<String, List<String>> areaPaths;
  // tenantCode -> userId -> grants
  private final Map<String, Map<String, List<Grant>>> grantsByUser;
  private final List<Grant> grants;
  private final Map<String, User> users;
  // tenantCode -> userId -> devices shared with the user
  private final Map<String, Map<String, Set<DeviceGrant>>> sharesByUser;
  private final List<DeviceGrant> deviceGrants;

  private Directory(
      Map<String, Tenant> tenants,
      Map<String, Project> projects,
      Map<String, Area> areas,
      Map<String, Product> products,
      DeviceTable devices,
      Map<String, List<String>> areaPaths,
      Map<String, Map<String, List<Grant>>> grantsByUser,
      List<Grant> grants,
      Map<String, User> users,
      Map<String, Map<String, Set<DeviceGrant>>> sharesByUser,
      List<DeviceGrant> deviceGrants) {
    this.tenants = tenants;
    this.projects = projects;
    this.areas = areas;
    this.products = products;
    this.devices = devices;
    this.areaPaths = areaPaths;
    this.grantsByUser = grantsByUser;
    this.grants = grants;
    this.users = users;
    this.sharesByUser = sharesByUser;
    this.deviceGrants = deviceGrants;
  }

  /**
   * Builds a snapshot.
   *
   * @throws IllegalArgumentException on a duplicate id, an area whose parent is unknown or in
   *     another project, or a cycle of areas; other references are not checked here (the registry
   *     enforces them)
   */
  public static Directory of(
      Collection<Tenant> tenants,
      Collection<Project> projects,
      Collection<Area> areas,
      Collection<Product> products,
      Collection<Device> devices,
      Collection<Grant> grants) {
    return of(
        tenants, projects, areas, products, DeviceTable.of(devices), grants, List.of(), List.of());
  }

  /**
   * Builds a snapshot around a device table (e.g. the current one, when no device changed), with
   * the registry's users and the devices shared with users.
   */
  public static Directory of(
      Collection<Tenant> tenants,
      Collection<Project> projects,
      Collection<Area> areas,
      Collection<Product> products,
      DeviceTable devices,
      Collection<Grant> grants,
      Collection<User> users,
      Collection<DeviceGrant> deviceGrants) {
    Map<String, Area> areaById = index("area", areas, Area::id);
    return new Directory(
        index("tenant", tenants, Tenant::code),
        index("project", projects, Project::id),
        areaById,
        index("product", products, Product::id),
        devices,
        AreaPaths.compute(areaById),
        groupGrants(grants),
        List.copyOf(grants),
        index("user", users, User::userId),
        groupShares(deviceGrants),
        List.copyOf(deviceGrants));
  }

  /** This snapshot with another device table and everything else shared. */
  public Directory withDevices(DeviceTable table) {
    return new Directory(
        tenants,
        projects,
        areas,
        products,
        table,
        areaPaths,
        grantsByUser,
        grants,
        users,
        sharesByUser,
        deviceGrants);
  }

  public DeviceTable deviceTable() {
    return devices;
  }

  /** The devices of one project (empty if none). */
  public List<Device> devicesOfProject(String projectId) {
    return devices.ofProject(projectId);
  }

  public static Directory empty() {
    return EMPTY;
  }

  public Optional<Tenant> tenant(String code) {
    return Optional.ofNullable(tenants.get(code));
  }

  public Optional<Project> project(String id) {
    return Optional.ofNullable(projects.get(id));
  }

  public Optional<Area> area(String id) {
    return Optional.ofNullable(areas.get(id));
  }

  public Optional<Product> product(String id) {
    return Optional.ofNullable(products.get(id));
  }

  public Optional<Device> device(String productId, String deviceName) {
    return Optional.ofNullable(devices.get(productId, deviceName));
  }

  /**
   * The area and all its ancestors, leaf first; empty for null or an unknown area. Precomputed
   * (no walk per call).
   */
  public List<String> areaPath(String areaId) {
    if (areaId == null) {
      return List.of();
    }
    return areaPaths.getOrDefault(areaId, List.of());
  }

  /** Grants of one user in one tenant (empty list if none). */
  public List<Grant> grants(String tenantCode, String userId) {
    Map<String, List<Grant>> ofTenant = grantsByUser.get(tenantCode);
    if (ofTenant == null) {
      return List.of();
    }
    return ofTenant.getOrDefault(userId, List.of());
  }

  /** The registry's user of that id (whatever the tenant: user ids are installation-unique). */
  public Optional<User> user(String userId) {
    return Optional.ofNullable(users.get(userId));
  }

  /** The devices shared with one user of one tenant (empty if none). */
  public Set<DeviceGrant> sharedWith(String tenantCode, String userId) {
    Map<String, Set<DeviceGrant>> ofTenant = sharesByUser.get(tenantCode);
    if (ofTenant == null) {
      return NO_SHARES;
    }
    return ofTenant.getOrDefault(userId, NO_SHARES);
  }

  /** Whether that device is shared with that user of its tenant. */
  public boolean isShared(String tenantCode, String userId, String productId, String deviceName) {
    Set<DeviceGrant> shares = sharedWith(tenantCode, userId);
    return !shares.isEmpty()
        && shares.contains(new DeviceGrant(tenantCode, userId, productId, deviceName));
  }

  public Collection<User> users() {
    return users.values();
  }

  /** Every device shared with a user. */
  public Collection<DeviceGrant> deviceGrants() {
    return deviceGrants;
  }

  public Collection<Tenant> tenants() {
    return tenants.values();
  }

  /** Every device, in no particular order. */
  public Collection<Device> devices() {
    return devices.all();
  }

  public Collection<Project> projects() {
    return projects.values();
  }

  public Collection<Area> areas() {
    return areas.values();
  }

  public Collection<Product> products() {
    return products.values();
  }

  /** Every grant of every user. */
  public Collection<Grant> grants() {
    return grants;
  }

  private static <T> Map<String, T> index(
      String kind, Collection<T> items, Function<T, String> key) {
    // Insertion order kept so that listings (admin API, logs) follow the source order.
    Map<String, T> map = new LinkedHashMap<>();
    for (T item : items) {
      if (map.put(key.apply(item), item) != null) {
        throw new IllegalArgumentException("duplicate " + kind + " " + key.apply(item));
      }
    }
    return Collections.unmodifiableMap(map);
  }

  private static Map<String, Map<String, List<Grant>>> groupGrants(Collection<Grant> grants) {
    Map<String, Map<String, List<Grant>>> grouped = new HashMap<>();
    for (Grant g : grants) {
      grouped
          .computeIfAbsent(g.tenantCode(), k -> new HashMap<>())
          .computeIfAbsent(g.userId(), k -> new ArrayList<>())
          .add(g);
    }
    grouped.replaceAll(
        (tenant, byUser) -> {
          byUser.replaceAll((user, list) -> List.copyOf(list));
          return Collections.unmodifiableMap(byUser);
        });
    return Collections.unmodifiableMap(grouped);
  }

  private static Map<String, Map<String, Set<DeviceGrant>>> groupShares(
      Collection<DeviceGrant> grants) {
    Map<String, Map<String, Set<DeviceGrant>>> grouped = new HashMap<>();
    for (DeviceGrant g : grants) {
      grouped
          .computeIfAbsent(g.tenantCode(), k -> new HashMap<>())
          .computeIfAbsent(g.userId(), k -> new LinkedHashSet<>())
          .add(g);
    }
    grouped.replaceAll(
        (tenant, byUser) -> {
          byUser.replaceAll((user, set) -> Collections.unmodifiableSet(set));
          return Collections.unmodifiableMap(byUser);
        });
    return Collections.unmodifiableMap(grouped);
  }

  /** Precomputes every area's path to its root, checking the tree on the way. */
  private static final class AreaPaths {
    private AreaPaths() {}

    static Map<String, List<String>> compute(Map<String, Area> areas) {
      Map<String, List<String>> paths = new HashMap<>();
      for (Area area : areas.values()) {
        pathOf(area, areas, paths);
      }
      return Collections.unmodifiableMap(paths);
    }

    /** Walks up to the first area whose path is known (or the root), then fills in downwards. */
    private static List<String> pathOf(
        Area start, Map<String, Area> areas, Map<String, List<String>> paths) {
      List<Area> chain = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      Area current = start;
      List<String> known = List.of();
      while (current != null) {
        List<String> cached = paths.get(current.id());
        if (cached != null) {
          known = cached;
          break;
        }
        if (!seen.add(current.id())) {
          throw new IllegalArgumentException("areas form a cycle through " + current.id());
        }
        chain.add(current);
        current = parentOf(current, areas);
      }
      List<String> path = known;
      for (int i = chain.size() - 1; i >= 0; i--) {
        List<String> longer = new ArrayList<>(path.size() + 1);
        longer.add(chain.get(i).id());
        longer.addAll(path);
        path = List.copyOf(longer);
        paths.put(chain.get(i).id(), path);
      }
      return path;
    }

    private static Area parentOf(Area area, Map<String, Area> areas) {
      if (area.parentId() == null) {
        return null;
      }
      Area parent = areas.get(area.parentId());
      if (parent == null) {
        throw new IllegalArgumentException(
            "area " + area.id() + " has unknown parent " + area.parentId());
      }
      if (!parent.projectId().equals(area.projectId())) {
        throw new IllegalArgumentException(
            "area "
                + area.id()
                + " is in project "
                + area.projectId()
                + " but its parent "
                + parent.id()
                + " is in project "
                + parent.projectId());
      }
      return parent;
    }
  }
}
