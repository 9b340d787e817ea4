package io.thingpush.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * Admin operations on the devices of one tenant. A device's secret (its MQTT password) is made
 * here, shown once in the answer to its creation or regeneration, and never listed.
 */
public final class DeviceStore {
  private static final List<String> KEYS =
      List.of("productID", "deviceName", "projectID", "areaID");
  private static final List<String> UPDATE_KEYS = List.of("projectID", "areaID");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS = "d.product_id, d.name, d.project_id, d.area_id";
  private static final String TABLES = "FROM device d JOIN product p ON p.id = d.product_id";
  private static final String FROM = TABLES + " WHERE p.tenant_code = ?";

  private final Registry registry;

  public DeviceStore(Registry registry) {
    this.registry = registry;
  }

  /** Filters ({@code null}: any): product, project, area (exactly that area), name containing {@code q}. */
  public ObjectNode list(
      String tenant, Page page, String productId, String projectId, String areaId, String q) {
    Where where =
        new Where(TABLES)
            .eq("p.tenant_code", tenant)
            .eq("d.product_id", productId)
            .eq("d.project_id", projectId)
            .eq("d.area_id", areaId)
            .search(q, "d.name");
    return registry.read(
        c ->
            Sql.page(
                c,
                COLUMNS,
                where.sql(),
                "d.product_id, d.name",
                where.args(),
                page,
                DeviceStore::json));
  }

  public ObjectNode get(String tenant, String productId, String name) {
    return registry.read(c -> find(c, tenant, productId, name));
  }

  /** Creates a device with a new secret; the answer is the only place the secret is shown. */
  public ObjectNode create(String tenant, JsonNode json) {
    RequestBody body = new RequestBody(json, KEYS);
    String productId = body.id("productID");
    String name = body.id("deviceName");
    String projectId = body.id("projectID");
    String areaId = body.optionalId("areaID");
    body.check();
    String secret = newSecret();
    ObjectNode device =
        registry.write(
            tenant,
            c -> {
              ProductStore.find(c, tenant, productId);
              checkPlace(c, tenant, projectId, areaId);
              if (Sql.exists(
                  c,
                  "SELECT name FROM device WHERE product_id = ? AND name = ?",
                  productId,
                  name)) {
                throw new RegistryConflict("device " + productId + "/" + name + " already exists");
              }
              Sql.update(
                  c,
                  "INSERT INTO device (product_id, name, secret, project_id, area_id) VALUES (?, ?, ?, ?, ?)",
                  productId,
                  name,
                  secret,
                  projectId,
                  areaId);
              return find(c, tenant, productId, name);
            });
    return device.put("secret", secret);
  }

  /** Moves the device to {@code projectID} and {@code areaID} (absent: outside any area). */
  public ObjectNode update(String tenant, String productId, String name, JsonNode json) {
    RequestBody body = new RequestBody(json, UPDATE_KEYS);
    String projectId = body.id("projectID");
    String areaId = body.optionalId("areaID");
    body.check();
    return registry.write(
        tenant,
        c -> {
          find(c, tenant, productId, name);
          checkPlace(c, tenant, projectId, areaId);
          Sql.update(
              c,
              "UPDATE device SET project_id = ?, area_id = ? WHERE product_id = ? AND name = ?",
              projectId,
              areaId,
              productId,
              name);
          return find(c, tenant, productId, name);
        });
  }

  /** Deletes the device and its shares. */
  public void delete(String tenant, String productId, String name) {
    registry.write(
        tenant,
        c -> {
          find(c, tenant, productId, name);
          Sql.update(
              c,
              "DELETE FROM device_grant WHERE product_id = ? AND device_name = ?",
              productId,
              name);
          Sql.update(c, "DELETE FROM device WHERE product_id = ? AND name = ?", productId, name);
          return null;
        });
  }

  /** Replaces the secret; the old one stops working for new logins at once. */
  public ObjectNode regenerateSecret(String tenant, String productId, String name) {
    String secret = newSecret();
    ObjectNode device =
        registry.write(
            tenant,
            c -> {
              find(c, tenant, productId, name);
              Sql.update(
                  c,
                  "UPDATE device SET secret = ? WHERE product_id = ? AND name = ?",
                  secret,
                  productId,
                  name);
              return find(c, tenant, productId, name);
            });
    return device.put("secret", secret);
  }

  private static void checkPlace(Connection c, String tenant, String projectId, String areaId)
      throws SQLException {
    ProjectStore.find(c, tenant, projectId);
    if (areaId != null) {
      AreaStore.find(c, tenant, projectId, areaId);
    }
  }

  private static ObjectNode find(Connection c, String tenant, String productId, String name)
      throws SQLException {
    return Sql.one(
            c,
            "SELECT " + COLUMNS + " " + FROM + " AND d.product_id = ? AND d.name = ?",
            DeviceStore::json,
            tenant,
            productId,
            name)
        .orElseThrow(
            () -> new ThingPushException(ErrorCode.NOT_FOUND, "device " + productId + "/" + name));
  }

  private static String newSecret() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static ObjectNode json(ResultSet r) throws SQLException {
    ObjectNode device =
        Json.object()
            .put("productID", r.getString(1))
            .put("deviceName", r.getString(2))
            .put("projectID", r.getString(3));
    return device.put("areaID", r.getString(4));
  }
}
