package io.thingpush.server.registry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Shared test data and helpers for registry tests against a real in-memory H2. */
final class RegistryFixtures {
  /** The example of the import format (docs/registry.md). */
  static final String EXAMPLE =
      """
      {
        "tenants":  [{"code": "default", "name": "Default tenant"}],
        "projects": [{"id": "p-plant", "tenant": "default", "name": "Plant",
                      "areas": [{"id": "a-hall", "name": "Hall",
                                 "children": [{"id": "a-line1", "name": "Line 1"}]}]}],
        "products": [{"id": "k0sr6A5BMbN", "tenant": "default", "name": "Env sensor",
                      "thingModel": {
                        "properties": [{"identifier": "temp", "name": "Temperature",
                                        "type": "float", "min": -40, "max": 120,
                                        "step": 0.1, "unit": "°C"}],
                        "actions": [{"identifier": "reboot", "name": "Reboot",
                                     "input": [], "output": []}]}}],
        "devices":  [{"productID": "k0sr6A5BMbN", "deviceName": "cB05016F7", "secret": "s3cret",
                      "projectID": "p-plant", "areaID": "a-line1"}],
        "users":    [{"tenant": "default", "userID": "1790000000000000001", "isAdmin": false},
                     {"tenant": "default", "userID": "9", "isAdmin": true}],
        "grants":   [{"tenant": "default", "userID": "alice", "projectID": "p-plant"},
                     {"tenant": "default", "userID": "bob", "projectID": "p-plant",
                      "areaIDs": ["a-line1"]}],
        "deviceGrants": [{"tenant": "default", "userID": "1790000000000000001",
                          "productID": "k0sr6A5BMbN", "deviceName": "cB05016F7"}]
      }
      """;

  private static final List<String> TABLES =
      List.of(
          "tenant",
          "project",
          "area",
          "product",
          "device",
          "user_grant",
          "app_user",
          "device_grant");

  private RegistryFixtures() {}

  static Registry openInMemory() {
    return Registry.open(
        "jdbc:h2:mem:registry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        "sa",
        "",
        2,
        Duration.ofSeconds(10));
  }

  static void importText(Registry registry, String json) {
    registry.importJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every row of every registry table, as text: equal dumps mean an unchanged database. */
  static List<String> dump(Registry registry) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = registry.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          List<String> tableRows = new ArrayList<>();
          while (rs.next()) {
            StringBuilder row = new StringBuilder(table);
            for (int i = 1; i <= columns; i++) {
              row.append(" | ").append(rs.getString(i));
            }
            tableRows.add(row.toString());
          }
          tableRows.sort(null);
          rows.addAll(tableRows);
        }
      }
    }
    return rows;
  }
}
