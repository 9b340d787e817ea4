package io.thingpush.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A parsed import file whose shape is valid (references not yet checked). Each entry keeps its
 * JSON path for error messages; areas are flattened parents first.
 */
record RegistryFile(
    List<TenantEntry> tenants,
    List<ProjectEntry> projects,
    List<AreaEntry> areas,
    List<ProductEntry> products,
    List<DeviceEntry> devices,
    List<GrantEntry> grants,
    List<UserEntry> users,
    List<DeviceGrantEntry> deviceGrants) {

  record TenantEntry(String path, String code, String name) {}

  record ProjectEntry(String path, String id, String tenant, String name) {}

  /** {@code parentId} null at the project's root. */
  record AreaEntry(String path, String id, String projectId, String parentId, String name) {}

  record ProductEntry(String path, String id, String tenant, String name, JsonNode thingModel) {}

  /** {@code areaId} null: in the project, outside any area. */
  record DeviceEntry(
      String path,
      String productId,
      String deviceName,
      String secret,
      String projectId,
      String areaId) {}

  record UserEntry(String path, String tenant, String userId, boolean admin) {}

  record DeviceGrantEntry(
      String path, String tenant, String userId, String productId, String deviceName) {}

  /** {@code areaIds} empty: the whole project. */
  record GrantEntry(
      String path, String tenant, String userId, String projectId, List<String> areaIds) {}
}
