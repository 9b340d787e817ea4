package io.thingpush.server.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Admin operations on the products (with their thing models) of one tenant. */
public final class ProductStore {
  private static final List<String> KEYS = List.of("id", "name", "thingModel");
  private static final List<String> UPDATE_KEYS = List.of("name", "thingModel");
  private static final String COLUMNS = "id, tenant_code, name, thing_model";

  private final Registry registry;

  public ProductStore(Registry registry) {
    this.registry = registry;
  }

  public ObjectNode list(String tenant, Page page, String q) {
    Where where = new Where("FROM product").eq("tenant_code", tenant).search(q, "id", "name");
    return registry.read(
        c -> Sql.page(c, COLUMNS, where.sql(), "id", where.args(), page, ProductStore::json));
  }

  public ObjectNode get(String tenant, String id) {
    return registry.read(c -> find(c, tenant, id));
  }

  public ObjectNode create(String tenant, JsonNode json) {
    RequestBody body = new RequestBody(json, KEYS);
    String id = body.id("id");
    String name = body.name("name");
    JsonNode model = body.thingModel("thingModel");
    body.check();
    return registry.write(
        tenant,
        c -> {
          if (Sql.exists(c, "SELECT id FROM product WHERE id = ?", id)) {
            throw new RegistryConflict("product id " + id + " is already taken");
          }
          Sql.update(
              c,
              "INSERT INTO product (id, tenant_code, name, thing_model) VALUES (?, ?, ?, ?)",
              id,
              tenant,
              name,
              Json.text(model));
          return find(c, tenant, id);
        });
  }

  /** Replaces the name and the thing model (reports are validated against the new one). */
  public ObjectNode update(String tenant, String id, JsonNode json) {
    RequestBody body = new RequestBody(json, UPDATE_KEYS);
    String name = body.name("name");
    JsonNode model = body.thingModel("thingModel");
    body.check();
    return registry.write(
        tenant,
        c -> {
          find(c, tenant, id);
          Sql.update(
              c,
              "UPDATE product SET name = ?, thing_model = ? WHERE id = ?",
              name,
              Json.text(model),
              id);
          return find(c, tenant, id);
        });
  }

  /** Refused while devices of the product exist. */
  public void delete(String tenant, String id) {
    registry.write(
        tenant,
        c -> {
          find(c, tenant, id);
          long devices = Sql.count(c, "SELECT COUNT(*) FROM device WHERE product_id = ?", id);
          if (devices > 0) {
            throw new RegistryConflict("product " + id + " still has " + devices + " devices");
          }
          Sql.update(c, "DELETE FROM product WHERE id = ?", id);
          return null;
        });
  }

  static ObjectNode find(Connection c, String tenant, String id) throws SQLException {
    return Sql.one(
            c,
            "SELECT " + COLUMNS + " FROM product WHERE id = ? AND tenant_code = ?",
            ProductStore::json,
            id,
            tenant)
        .orElseThrow(() -> new ThingPushException(ErrorCode.NOT_FOUND, "product " + id));
  }

  private static ObjectNode json(ResultSet r) throws SQLException {
    ObjectNode product =
        Json.object()
            .put("id", r.getString(1))
            .put("tenant", r.getString(2))
            .put("name", r.getString(3));
    try {
      product.set("thingModel", Json.MAPPER.readTree(r.getString(4)));
    } catch (JsonProcessingException e) {
      throw new RegistryException(
          "product " + r.getString(1) + " has a thing_model that is not JSON", e);
    }
    return product;
  }
}
