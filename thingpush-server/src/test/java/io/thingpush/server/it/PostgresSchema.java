package io.thingpush.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema on the real PostgreSQL (default the machine's {@code 127.0.0.1:5432/test};
 * {@code THINGPUSH_TEST_POSTGRES_URL}, {@code _USER} and {@code _PASSWORD} point elsewhere),
 * dropped with everything in it on {@link #close()}.
 */
final class PostgresSchema implements AutoCloseable {
  static final String URL =
      System.getenv()
          .getOrDefault("THINGPUSH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String USER =
      System.getenv().getOrDefault("THINGPUSH_TEST_POSTGRES_USER", "postgres");
  static final String PASSWORD =
      System.getenv().getOrDefault("THINGPUSH_TEST_POSTGRES_PASSWORD", "");

  private final String name = "thingpush_it_" + UUID.randomUUID().toString().replace("-", "");

  PostgresSchema() {
    execute("CREATE SCHEMA " + name);
  }

  /** The JDBC URL of a connection whose tables live in this schema. */
  String jdbcUrl() {
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  @Override
  public void close() {
    execute("DROP SCHEMA " + name + " CASCADE");
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed", e);
    }
  }
}
