package io.thingpush.server.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceGrant;
import io.thingpush.core.directory.DeviceTable;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.directory.User;
import io.thingpush.core.thingmodel.InvalidThingModelException;
import io.thingpush.core.thingmodel.ThingModel;
import io.thingpush.protocol.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every table into a {@link Directory} on the caller's connection; the caller runs it in
 * one transaction so that the snapshot is consistent.
 */
final class RegistryReader {
  private interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private static final String DEVICES =
      "SELECT d.product_id, d.name, d.secret, p.tenant_code, d.project_id, d.area_id"
          + " FROM device d JOIN product p ON p.id = d.product_id";
  // Rows fetched per round trip: PostgreSQL otherwise holds a whole result set in memory.
  private static final int FETCH_SIZE = 10_000;

  private final Connection connection;
  private final Map<String, String> ids = new HashMap<>();

  RegistryReader(Connection connection) {
    this.connection = connection;
  }

  /**
   * @throws RegistryException when the rows do not form a registry (only a database edited by
   *     hand gets there: an area tree with a cycle, a thing model that is not JSON)
   */
  Directory read() throws SQLException {
    return read(null);
  }

  /**
   * Everything but the devices, around {@code devices} (which no change since their load
   * touched); cheap next to a full read when a registry holds millions of devices.
   */
  Directory readAround(DeviceTable devices) throws SQLException {
    return read(devices);
  }

  private Directory read(DeviceTable known) throws SQLException {
    // ORDER BY only keeps listings stable; Directory needs no parent-first order.
    List<Tenant> tenants =
        list(
            "SELECT code, name FROM tenant ORDER BY code",
            r -> new Tenant(id(r, 1), r.getString(2)));
    List<Project> projects =
        list(
            "SELECT id, tenant_code, name FROM project ORDER BY id",
            r -> new Project(id(r, 1), id(r, 2), r.getString(3)));
    List<Area> areas =
        list(
            "SELECT id, project_id, parent_id, name FROM area ORDER BY id",
            r -> new Area(id(r, 1), id(r, 2), id(r, 3), r.getString(4)));
    List<Product> products =
        list(
            "SELECT id, tenant_code, name, thing_model FROM product ORDER BY id",
            r ->
                new Product(
                    id(r, 1),
                    id(r, 2),
                    r.getString(3),
                    thingModel(r.getString(1), r.getString(4))));
    List<Grant> grants =
        list(
            "SELECT tenant_code, user_id, project_id, area_id FROM user_grant"
                + " ORDER BY tenant_code, user_id, project_id, area_id",
            r -> new Grant(id(r, 1), r.getString(2), id(r, 3), id(r, 4)));
    List<User> users =
        list(
            "SELECT user_id, tenant_code, is_admin FROM app_user ORDER BY user_id",
            r -> new User(r.getString(1), id(r, 2), r.getBoolean(3)));
    List<DeviceGrant> shares =
        list(
            "SELECT tenant_code, user_id, product_id, device_name FROM device_grant"
                + " ORDER BY tenant_code, user_id, product_id, device_name",
            r -> new DeviceGrant(id(r, 1), r.getString(2), id(r, 3), r.getString(4)));
    // No ORDER BY: sorting a million rows buys nothing, the table has no order.
    DeviceTable devices = known != null ? known : DeviceTable.of(list(DEVICES, this::device));
    try {
      return Directory.of(tenants, projects, areas, products, devices, grants, users, shares);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("the registry database is inconsistent", e);
    }
  }

  /** The current row of one device, or null when it is gone. */
  Device device(String productId, String deviceName) throws SQLException {
    List<Device> rows =
        list(
            DEVICES + " WHERE d.product_id = ? AND d.name = ?",
            this::device,
            productId,
            deviceName);
    return rows.isEmpty() ? null : rows.get(0);
  }

  // A device's tenant is its product's. Its ids repeat those of a few projects, areas and
  // products: the copies read from the row are swapped for the instances already held.
  private Device device(ResultSet r) throws SQLException {
    return new Device(id(r, 1), r.getString(2), r.getString(3), id(r, 4), id(r, 5), id(r, 6));
  }

  /** The column as the one instance of that id this read holds (null stays null). */
  private String id(ResultSet r, int column) throws SQLException {
    String value = r.getString(column);
    if (value == null) {
      return null;
    }
    String held = ids.putIfAbsent(value, value);
    return held == null ? value : held;
  }

  private <T> List<T> list(String sql, RowMapper<T> mapper, String... args) throws SQLException {
    List<T> items = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setFetchSize(FETCH_SIZE);
      for (int i = 0; i < args.length; i++) {
        statement.setString(i + 1, args[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          items.add(mapper.map(rows));
        }
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
          "the registry database is inconsistent: product "
              + productId
              + " has a thing_model that is not JSON",
          e);
    }
    try {
      ThingModel.parse(model);
    } catch (InvalidThingModelException e) {
      throw new RegistryException(
          "the registry database is inconsistent: product "
              + productId
              + " has an invalid thing_model",
          e);
    }
    return model;
  }
}
