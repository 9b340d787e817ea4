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
 * Admin operations on the users of one tenant: what a token without a tenant claim (an i-Things
 * login token) is checked against. A user id is unique across the installation.
 */
public final class UserStore {
  private static final List<String> KEYS = List.of("userID", "isAdmin");
  private static final List<String> UPDATE_KEYS = List.of("isAdmin");
  private static final String COLUMNS = "user_id, tenant_code, is_admin";

  private final Registry registry;

  public UserStore(Registry registry) {
    this.registry = registry;
  }

  public ObjectNode list(String tenant, Page page, String q) {
    Where where = new Where("FROM app_user").eq("tenant_code", tenant).search(q, "user_id");
    return registry.read(
        c -> Sql.page(c, COLUMNS, where.sql(), "user_id", where.args(), page, UserStore::json));
  }

  public ObjectNode get(String tenant, String userId) {
    return registry.read(c -> find(c, tenant, userId));
  }

  public ObjectNode create(String tenant, JsonNode json) {
    RequestBody body = new RequestBody(json, KEYS);
    String userId = body.userId("userID");
    boolean admin = body.flag("isAdmin");
    body.check();
    return registry.write(
        tenant,
        c -> {
          if (Sql.exists(c, "SELECT user_id FROM app_user WHERE user_id = ?", userId)) {
            // User ids are installation-unique; whose it is stays unsaid.
            throw new RegistryConflict("user id " + userId + " is already taken");
          }
          Sql.update(
              c,
              "INSERT INTO app_user (user_id, tenant_code, is_admin) VALUES (?, ?, ?)",
              userId,
              tenant,
              admin);
          return find(c, tenant, userId);
        });
  }

  /** Sets the admin flag; connections of the user hold it from the registry's next change on. */
  public ObjectNode update(String tenant, String userId, JsonNode json) {
    RequestBody body = new RequestBody(json, UPDATE_KEYS);
    boolean admin = body.flag("isAdmin");
    body.check();
    return registry.write(
        tenant,
        c -> {
          find(c, tenant, userId);
          Sql.update(c, "UPDATE app_user SET is_admin = ? WHERE user_id = ?", admin, userId);
          return find(c, tenant, userId);
        });
  }

  /** The user's grants and shares stay: they belong to the user id, which tokens with a tenant also name. */
  public void delete(String tenant, String userId) {
    registry.write(
        tenant,
        c -> {
          find(c, tenant, userId);
          Sql.update(c, "DELETE FROM app_user WHERE user_id = ?", userId);
          return null;
        });
  }

  private static ObjectNode find(Connection c, String tenant, String userId) throws SQLException {
    return Sql.one(
            c,
            "SELECT " + COLUMNS + " FROM app_user WHERE tenant_code = ? AND user_id = ?",
            UserStore::json,
            tenant,
            userId)
        .orElseThrow(() -> new ThingPushException(ErrorCode.NOT_FOUND, "user " + userId));
  }

  private static ObjectNode json(ResultSet r) throws SQLException {
    return Json.object()
        .put("userID", r.getString(1))
        .put("tenant", r.getString(2))
        .put("isAdmin", r.getBoolean(3));
  }
}
