package io.thingpush.server.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.thingmodel.InvalidThingModelException;
import io.thingpush.core.thingmodel.ThingModel;
import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.protocol.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every table into a {@link Directory} on the caller's connection; the caller runs it in
 * one transaction so that the snapshot is consistent.
 */
final class RegistryReader {
  private interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private final Connection connection;

  RegistryReader(Connection connection) {
    this.connection = connection;
  }

  /**
   * @throws RegistryException when the rows do not form a registry (only a database edited by
   *     hand gets there: an area tree with a cycle, a thing model that is not JSON)
   */
  Directory read() throws SQLException {
    // ORDER BY only keeps listings stable; Directory needs no parent-first order.
    List<Tenant> tenants = list("SELECT code, name FROM tenant ORDER BY code",
        r -> new Tenant(r.getString(1), r.getString(2)));
    List<Project> projects = list("SELECT id, tenant_code, name FROM project ORDER BY id",
        r -> new Project(r.getString(1), r.getString(2), r.getString(3)));
    List<Area> areas = list("SELECT id, project_id, parent_id, name FROM area ORDER BY id",
        r -> new Area(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
    List<Product> products = list(
        "SELECT id, tenant_code, name, thing_model FROM product ORDER BY id",
        r -> new Product(r.getString(1), r.getString(2), r.getString(3),
            thingModel(r.getString(1), r.getString(4))));
    // A device's tenant is its product's.
    List<Device> devices = list(
        "SELECT d.product_id, d.name, d.secret, p.tenant_code, d.project_id, d.area_id"
            + " FROM device d JOIN product p ON p.id = d.product_id"
            + " ORDER BY d.product_id, d.name",
        r -> new Device(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
            r.getString(5), r.getString(6)));
    List<Grant> grants = list(
        "SELECT tenant_code, user_id, project_id, area_id FROM user_grant"
            + " ORDER BY tenant_code, user_id, project_id, area_id",
        r -> new Grant(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
    try {
      return Directory.of(tenants, projects, areas, products, devices, grants);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("the registry database is inconsistent: " + e.getMessage(), e);
    }
  }

  private <T> List<T> list(String sql, RowMapper<T> mapper) throws SQLException {
    List<T> items = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        items.add(mapper.map(rows));
      }
    }
    return items;
  }

  private static JsonNode thingModel(String productId, String text) {
    JsonNode model;
    try {
      model = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RegistryException(
          "the registry database is inconsistent: product " + productId
              + " has a thing_model that is not JSON", e);
    }
    try {
      ThingModel.parse(model);
    } catch (InvalidThingModelException e) {
      throw new RegistryException(
          "the registry database is inconsistent: product " + productId
              + " has an invalid thing_model: " + e.getMessage(), e);
    }
    return model;
  }
}
