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

/**
 * Admin operations on the grants of one tenant's users: read access to a whole project
 * ({@code areaID} null) or to one area with its sub-areas. A grant is named by all its fields.
 */
public final class GrantStore {
  private static final List<String> KEYS = List.of("userID", "projectID", "areaID");
  private static final String COLUMNS = "tenant_code, user_id, project_id, area_id";

  /** What {@link #add} did. */
  public record Added(ObjectNode grant, boolean created) {}

  private final Registry registry;

  public GrantStore(Registry registry) {
    this.registry = registry;
  }

  public ObjectNode list(String tenant, Page page, String userId, String projectId) {
    Where where =
        new Where("FROM user_grant")
            .eq("tenant_code", tenant)
            .eq("user_id", userId)
            .eq("project_id", projectId);
    // COALESCE: both databases then order the whole-project grant first.
    return registry.read(
        c ->
            Sql.page(
                c,
                COLUMNS,
                where.sql(),
                "user_id, project_id, COALESCE(area_id, '')",
                where.args(),
                page,
                GrantStore::json));
  }

  /** Adds a grant; one that already exists is left as it is ({@code created} false). */
  public Added add(String tenant, JsonNode json) {
    RequestBody body = new RequestBody(json, KEYS);
    String userId = body.userId("userID");
    String projectId = body.id("projectID");
    String areaId = body.optionalId("areaID");
    body.check();
    return registry.write(
        tenant,
        c -> {
          ProjectStore.find(c, tenant, projectId);
          if (areaId != null) {
            AreaStore.find(c, tenant, projectId, areaId);
          }
          ObjectNode grant = grant(tenant, userId, projectId, areaId);
          if (exists(c, tenant, userId, projectId, areaId)) {
            return new Added(grant, false);
          }
          Sql.update(
              c,
              "INSERT INTO user_grant (tenant_code, user_id, project_id, area_id) VALUES (?, ?, ?, ?)",
              tenant,
              userId,
              projectId,
              areaId);
          return new Added(grant, true);
        });
  }

  /** Revokes one grant ({@code areaId} null: the whole-project grant). */
  public void revoke(String tenant, String userId, String projectId, String areaId) {
    registry.write(
        tenant,
        c -> {
          if (!exists(c, tenant, userId, projectId, areaId)) {
            throw new ThingPushException(
                ErrorCode.NOT_FOUND,
                "grant of user "
                    + userId
                    + " to "
                    + (areaId == null
                        ? "project " + projectId
                        : "area " + areaId + " of project " + projectId));
          }
          Sql.update(
              c,
              "DELETE FROM user_grant WHERE tenant_code = ? AND user_id = ? AND project_id = ? AND "
                  + areaCondition(areaId),
              args(tenant, userId, projectId, areaId));
          return null;
        });
  }

  private static boolean exists(
      Connection c, String tenant, String userId, String projectId, String areaId)
      throws SQLException {
    return Sql.exists(
        c,
        "SELECT user_id FROM user_grant WHERE tenant_code = ? AND user_id = ? AND project_id = ?"
            + " AND "
            + areaCondition(areaId),
        args(tenant, userId, projectId, areaId));
  }

  // "= NULL" is never true in SQL: the whole-project grant needs IS NULL.
  private static String areaCondition(String areaId) {
    return areaId == null ? "area_id IS NULL" : "area_id = ?";
  }

  private static Object[] args(String tenant, String userId, String projectId, String areaId) {
    return areaId == null
        ? new Object[] {tenant, userId, projectId}
        : new Object[] {tenant, userId, projectId, areaId};
  }

  private static ObjectNode grant(String tenant, String userId, String projectId, String areaId) {
    ObjectNode grant =
        Json.object().put("tenant", tenant).put("userID", userId).put("projectID", projectId);
    return grant.put("areaID", areaId);
  }

  private static ObjectNode json(ResultSet r) throws SQLException {
    return grant(r.getString(1), r.getString(2), r.getString(3), r.getString(4));
  }
}
