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
 * Admin operations on the devices shared with the users of one tenant (device grants): a user
 * reads a shared device in whatever project of the tenant it is. A share is named by all its fields.
 */
public final class DeviceGrantStore {
  private static final List<String> KEYS = List.of("userID", "productID", "deviceName");
  private static final String COLUMNS = "tenant_code, user_id, product_id, device_name";

  /** What {@link #add} did. */
  public record Added(ObjectNode grant, boolean created) {}

  private final Registry registry;

  public DeviceGrantStore(Registry registry) {
    this.registry = registry;
  }

  public ObjectNode list(String tenant, Page page, String userId, String productId) {
    Where where =
        new Where("FROM device_grant")
            .eq("tenant_code", tenant)
            .eq("user_id", userId)
            .eq("product_id", productId);
    return registry.read(
        c ->
            Sql.page(
                c,
                COLUMNS,
                where.sql(),
                "user_id, product_id, device_name",
                where.args(),
                page,
                DeviceGrantStore::json));
  }

  /** Shares a device of the tenant; a share that already exists is left as it is ({@code created} false). */
  public Added add(String tenant, JsonNode json) {
    RequestBody body = new RequestBody(json, KEYS);
    String userId = body.userId("userID");
    String productId = body.id("productID");
    String deviceName = body.id("deviceName");
    body.check();
    return registry.write(
        tenant,
        c -> {
          // A device of another tenant is "not found", as everywhere.
          if (!Sql.exists(
              c,
              "SELECT d.name FROM device d JOIN product p ON p.id = d.product_id"
                  + " WHERE p.tenant_code = ? AND d.product_id = ? AND d.name = ?",
              tenant,
              productId,
              deviceName)) {
            throw new ThingPushException(
                ErrorCode.NOT_FOUND, "device " + productId + "/" + deviceName);
          }
          ObjectNode grant = grant(tenant, userId, productId, deviceName);
          if (exists(c, tenant, userId, productId, deviceName)) {
            return new Added(grant, false);
          }
          Sql.update(
              c,
              "INSERT INTO device_grant (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
              tenant,
              userId,
              productId,
              deviceName);
          return new Added(grant, true);
        });
  }

  /** Stops sharing one device with one user. */
  public void revoke(String tenant, String userId, String productId, String deviceName) {
    registry.write(
        tenant,
        c -> {
          if (!exists(c, tenant, userId, productId, deviceName)) {
            throw new ThingPushException(
                ErrorCode.NOT_FOUND,
                "share of device " + productId + "/" + deviceName + " with user " + userId);
          }
          Sql.update(
              c,
              "DELETE FROM device_grant WHERE tenant_code = ? AND user_id = ? AND product_id = ?"
                  + " AND device_name = ?",
              tenant,
              userId,
              productId,
              deviceName);
          return null;
        });
  }

  private static boolean exists(
      Connection c, String tenant, String userId, String productId, String deviceName)
      throws SQLException {
    return Sql.exists(
        c,
        "SELECT user_id FROM device_grant WHERE tenant_code = ? AND user_id = ? AND product_id = ?"
            + " AND device_name = ?",
        tenant,
        userId,
        productId,
        deviceName);
  }

  private static ObjectNode grant(
      String tenant, String userId, String productId, String deviceName) {
    return Json.object()
        .put("tenant", tenant)
        .put("userID", userId)
        .put("productID", productId)
        .put("deviceName", deviceName);
  }

  private static ObjectNode json(ResultSet r) throws SQLException {
    return grant(r.getString(1), r.getString(2), r.getString(3), r.getString(4));
  }
}
