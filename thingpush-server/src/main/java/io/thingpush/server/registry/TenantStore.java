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

/** Admin operations on tenants (platform admins; a tenant admin may read its own). */
public final class TenantStore {
  private static final List<String> KEYS = List.of("code", "name");
  private static final List<String> UPDATE_KEYS = List.of("name");

  private final Registry registry;

  public TenantStore(Registry registry) {
    this.registry = registry;
  }

  public ObjectNode list(Page page, String q) {
    Where where = new Where("FROM tenant").search(q, "code", "name");
    return registry.read(
        c -> Sql.page(c, "code, name", where.sql(), "code", where.args(), page, TenantStore::json));
  }

  public ObjectNode get(String code) {
    return registry.read(c -> find(c, code));
  }

  public ObjectNode create(JsonNode json) {
    RequestBody body = new RequestBody(json, KEYS);
    String code = body.id("code");
    String name = body.name("name");
    body.check();
    return registry.write(
        null,
        c -> {
          if (Sql.exists(c, "SELECT code FROM tenant WHERE code = ?", code)) {
            throw new RegistryConflict("tenant " + code + " already exists");
          }
          Sql.update(c, "INSERT INTO tenant (code, name) VALUES (?, ?)", code, name);
          return find(c, code);
        });
  }

  public ObjectNode update(String code, JsonNode json) {
    RequestBody body = new RequestBody(json, UPDATE_KEYS);
    String name = body.name("name");
    body.check();
    return registry.write(
        code,
        c -> {
          Sql.update(c, "UPDATE tenant SET name = ? WHERE code = ?", name, code);
          return find(c, code);
        });
  }

  /** Refused while the tenant has projects or products: nothing of a tenant is deleted by surprise. */
  public void delete(String code) {
    registry.write(
        code,
        c -> {
          long projects = Sql.count(c, "SELECT COUNT(*) FROM project WHERE tenant_code = ?", code);
          long products = Sql.count(c, "SELECT COUNT(*) FROM product WHERE tenant_code = ?", code);
          if (projects + products > 0) {
            throw new RegistryConflict(
                "tenant "
                    + code
                    + " still has "
                    + projects
                    + " projects and "
                    + products
                    + " products");
          }
          Sql.update(c, "DELETE FROM user_grant WHERE tenant_code = ?", code);
          Sql.update(c, "DELETE FROM device_grant WHERE tenant_code = ?", code);
          Sql.update(c, "DELETE FROM app_user WHERE tenant_code = ?", code);
          Sql.update(c, "DELETE FROM tenant WHERE code = ?", code);
          return null;
        });
  }

  private static ObjectNode find(Connection c, String code) throws SQLException {
    return Sql.one(c, "SELECT code, name FROM tenant WHERE code = ?", TenantStore::json, code)
        .orElseThrow(() -> new ThingPushException(ErrorCode.NOT_FOUND, "tenant " + code));
  }

  private static ObjectNode json(ResultSet r) throws SQLException {
    return Json.object().put("code", r.getString(1)).put("name", r.getString(2));
  }
}
