package io.thingpush.server.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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

  Directory read() throws SQLException {
    // ORDER BY only keeps listings stable; Directory needs no parent-first order.
    return Directory.of(
        list("SELECT code, name FROM tenant ORDER BY code",
            r -> new Tenant(r.getString(1), r.getString(2))),
        list("SELECT id, tenant_code, name FROM project ORDER BY id",
            r -> new Project(r.getString(1), r.getString(2), r.getString(3))),
        list("SELECT id, project_id, parent_id, name FROM area ORDER BY id",
            r -> new Area(r.getString(1), r.getString(2), r.getString(3), r.getString(4))),
        list("SELECT id, tenant_code, name, thing_model FROM product ORDER BY id",
            r -> new Product(r.getString(1), r.getString(2), r.getString(3),
                thingModel(r.getString(1), r.getString(4)))),
        // A device's tenant is its product's.
        list("SELECT d.product_id, d.name, d.secret, p.tenant_code, d.project_id, d.area_id"
                + " FROM device d JOIN product p ON p.id = d.product_id"
                + " ORDER BY d.product_id, d.name",
            r -> new Device(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                r.getString(5), r.getString(6))),
        list("SELECT tenant_code, user_id, project_id, area_id FROM user_grant"
                + " ORDER BY tenant_code, user_id, project_id, area_id",
            r -> new Grant(r.getString(1), r.getString(2), r.getString(3), r.getString(4))));
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

  private static JsonNode thingModel(String productId, String text) throws SQLException {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // Only a hand-edited database gets here; name the row rather than fail obscurely.
      throw new SQLException("product " + productId + ": thing_model is not valid JSON", e);
    }
  }
}
