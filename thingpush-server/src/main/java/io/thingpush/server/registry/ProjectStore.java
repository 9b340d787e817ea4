package io.thingpush.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Admin operations on the projects of one tenant. */
public final class ProjectStore {
  private static final List<String> KEYS = List.of("id", "name");
  private static final List<String> UPDATE_KEYS = List.of("name");
  private static final String COLUMNS = "id, tenant_code, name";

  private final Registry registry;

  public ProjectStore(Registry registry) {
    this.registry = registry;
  }

  public ObjectNode list(String tenant, Page page, String q) {
    Where where = new Where("FROM project").eq("tenant_code", tenant).search(q, "id", "name");
    return registry.read(
        c -> Sql.page(c, COLUMNS, where.sql(), "id", where.args(), page, ProjectStore::json));
  }

  public ObjectNode get(String tenant, String id) {
    return registry.read(c -> find(c, tenant, id));
  }

  public ObjectNode create(String tenant, JsonNode json) {
    RequestBody body = new RequestBody(json, KEYS);
    String id = body.id("id");
    String name = body.name("name");
    body.check();
    return registry.write(
        tenant,
        c -> {
          if (Sql.exists(c, "SELECT id FROM project WHERE id = ?", id)) {
            // Ids are installation-unique; whose it is stays unsaid.
            throw new RegistryConflict("project id " + id + " is already taken");
          }
          Sql.update(
              c, "INSERT INTO project (id, tenant_code, name) VALUES (?, ?, ?)", id, tenant, name);
          return find(c, tenant, id);
        });
  }

  public ObjectNode update(String tenant, String id, JsonNode json) {
    RequestBody body = new RequestBody(json, UPDATE_KEYS);
    String name = body.name("name");
    body.check();
    return registry.write(
        tenant,
        c -> {
          find(c, tenant, id);
          Sql.update(c, "UPDATE project SET name = ? WHERE id = ?", name, id);
          return find(c, tenant, id);
        });
  }

  /**
   * Deletes the project with its areas and the grants on it; refused while devices are in it
   * (move or delete them first).
   */
  public void delete(String tenant, String id) {
    registry.write(
        tenant,
        c -> {
          find(c, tenant, id);
          long devices = Sql.count(c, "SELECT COUNT(*) FROM device WHERE project_id = ?", id);
          if (devices > 0) {
            throw new RegistryConflict("project " + id + " still has " + devices + " devices");
          }
          Sql.update(c, "DELETE FROM user_grant WHERE project_id = ?", id);
          // Unlink the tree first so that no area is deleted before its children.
          Sql.update(c, "UPDATE area SET parent_id = NULL WHERE project_id = ?", id);
          Sql.update(c, "DELETE FROM area WHERE project_id = ?", id);
          Sql.update(c, "DELETE FROM project WHERE id = ?", id);
          return null;
        });
  }

  /** The project {@code id} of {@code tenant}; another tenant's is "not found" too. */
  static ObjectNode find(Connection c, String tenant, String id) throws SQLException {
    return Sql.one(
            c,
            "SELECT " + COLUMNS + " FROM project WHERE id = ? AND tenant_code = ?",
            ProjectStore::json,
            id,
            tenant)
        .orElseThrow(() -> new ThingPushException(ErrorCode.NOT_FOUND, "project " + id));
  }

  private static ObjectNode json(ResultSet r) throws SQLException {
    return Json.object()
        .put("id", r.getString(1))
        .put("tenant", r.getString(2))
        .put("name", r.getString(3));
  }
}
