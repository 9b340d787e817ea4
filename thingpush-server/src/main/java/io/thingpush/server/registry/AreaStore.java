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
import java.util.Objects;

/**
 * Admin operations on the area tree of one project. An area's place is its {@code parentID}:
 * changing it moves the area with its whole subtree; a move under the area itself or one of its
 * sub-areas is refused.
 */
public final class AreaStore {
  private static final List<String> KEYS = List.of("id", "name", "parentID");
  private static final List<String> UPDATE_KEYS = List.of("name", "parentID");
  private static final String COLUMNS = "id, project_id, parent_id, name";

  private final Registry registry;

  public AreaStore(Registry registry) {
    this.registry = registry;
  }

  public ObjectNode list(String tenant, String project, Page page, String parentId, String q) {
    return registry.read(
        c -> {
          ProjectStore.find(c, tenant, project);
          Where where =
              new Where("FROM area")
                  .eq("project_id", project)
                  .eq("parent_id", parentId)
                  .search(q, "id", "name");
          return Sql.page(c, COLUMNS, where.sql(), "id", where.args(), page, AreaStore::json);
        });
  }

  public ObjectNode get(String tenant, String project, String id) {
    return registry.read(c -> find(c, tenant, project, id));
  }

  public ObjectNode create(String tenant, String project, JsonNode json) {
    RequestBody body = new RequestBody(json, KEYS);
    String id = body.id("id");
    String name = body.name("name");
    String parent = body.optionalId("parentID");
    body.check();
    return registry.write(
        tenant,
        c -> {
          ProjectStore.find(c, tenant, project);
          if (Sql.exists(c, "SELECT id FROM area WHERE id = ?", id)) {
            throw new RegistryConflict("area id " + id + " is already taken");
          }
          if (parent != null) {
            find(c, tenant, project, parent);
          }
          Sql.update(
              c,
              "INSERT INTO area (id, project_id, parent_id, name) VALUES (?, ?, ?, ?)",
              id,
              project,
              parent,
              name);
          return find(c, tenant, project, id);
        });
  }

  /** Renames and/or moves the area (with its subtree) to {@code parentID} (absent: the root). */
  public ObjectNode update(String tenant, String project, String id, JsonNode json) {
    RequestBody body = new RequestBody(json, UPDATE_KEYS);
    String name = body.name("name");
    String parent = body.optionalId("parentID");
    body.check();
    return registry.write(
        tenant,
        c -> {
          find(c, tenant, project, id);
          if (parent != null) {
            find(c, tenant, project, parent);
            refuseCycle(c, id, parent);
          }
          Sql.update(c, "UPDATE area SET name = ?, parent_id = ? WHERE id = ?", name, parent, id);
          return find(c, tenant, project, id);
        });
  }

  /** Deletes a leaf area and the grants on it; refused while it has sub-areas or devices. */
  public void delete(String tenant, String project, String id) {
    registry.write(
        tenant,
        c -> {
          find(c, tenant, project, id);
          long children = Sql.count(c, "SELECT COUNT(*) FROM area WHERE parent_id = ?", id);
          long devices = Sql.count(c, "SELECT COUNT(*) FROM device WHERE area_id = ?", id);
          if (children + devices > 0) {
            throw new RegistryConflict(
                "area " + id + " still has " + children + " sub-areas and " + devices + " devices");
          }
          Sql.update(c, "DELETE FROM user_grant WHERE area_id = ?", id);
          Sql.update(c, "DELETE FROM area WHERE id = ?", id);
          return null;
        });
  }

  /** Walks up from the new parent: meeting the area itself means the move would close a loop. */
  private static void refuseCycle(Connection c, String id, String newParent) throws SQLException {
    String current = newParent;
    while (current != null) {
      if (Objects.equals(current, id)) {
        throw new RegistryConflict(
            newParent.equals(id)
                ? "area " + id + " cannot be its own parent"
                : "area " + id + " cannot move under its own sub-area " + newParent);
      }
      current =
          Sql.one(c, "SELECT " + COLUMNS + " FROM area WHERE id = ?", AreaStore::json, current)
              .map(a -> a.path("parentID").textValue())
              .orElse(null);
    }
  }

  /** The area {@code id} of {@code project} of {@code tenant}; anything else is "not found". */
  static ObjectNode find(Connection c, String tenant, String project, String id)
      throws SQLException {
    return Sql.one(
            c,
            "SELECT a.id, a.project_id, a.parent_id, a.name FROM area a"
                + " JOIN project p ON p.id = a.project_id"
                + " WHERE a.id = ? AND a.project_id = ? AND p.tenant_code = ?",
            AreaStore::json,
            id,
            project,
            tenant)
        .orElseThrow(
            () ->
                new ThingPushException(
                    ErrorCode.NOT_FOUND, "area " + id + " in project " + project));
  }

  private static ObjectNode json(ResultSet r) throws SQLException {
    ObjectNode area = Json.object().put("id", r.getString(1)).put("projectID", r.getString(2));
    area.put("parentID", r.getString(3));
    return area.put("name", r.getString(4));
  }
}
