package io.thingpush.server.registry;

import static io.thingpush.server.registry.RegistryFixtures.EXAMPLE;
import static io.thingpush.server.registry.RegistryFixtures.dump;
import static io.thingpush.server.registry.RegistryFixtures.importText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same migrations and import on the real PostgreSQL (default the machine's
 * {@code 127.0.0.1:5432/test}; {@code THINGPUSH_TEST_POSTGRES_URL}, {@code _USER} and
 * {@code _PASSWORD} point elsewhere), each run in a fresh schema dropped afterwards.
 */
class RegistryPostgresTest {
  private static final String URL =
      System.getenv()
          .getOrDefault("THINGPUSH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER =
      System.getenv().getOrDefault("THINGPUSH_TEST_POSTGRES_USER", "postgres");
  private static final String PASSWORD =
      System.getenv().getOrDefault("THINGPUSH_TEST_POSTGRES_PASSWORD", "");

  private String schema;

  @BeforeEach
  void freshSchema() throws Exception {
    schema = "thingpush_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  @AfterEach
  void dropSchema() throws Exception {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Test
  void migratesImportsAndLoads() throws Exception {
    String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try (Registry registry = Registry.open(url, USER, PASSWORD, 2, Duration.ofSeconds(10))) {
      importText(registry, EXAMPLE);
      try (InputStream demo = Registry.class.getResourceAsStream("/registry/demo.json")) {
        registry.importJson(demo);
      }
      List<String> before = dump(registry);
      importText(registry, EXAMPLE);
      assertThat(dump(registry)).isEqualTo(before);

      assertThatThrownBy(
              () ->
                  importText(
                      registry,
                      "{\"tenants\": [{\"code\": \"t-new\", \"name\": \"New\"}],"
                          + " \"grants\": [{\"tenant\": \"acme\", \"userID\": 1,"
                          + " \"projectID\": \"p-factory\"}]}"))
          .hasMessage("grants[0].projectID: project p-factory is not in tenant acme");
      assertThat(dump(registry)).isEqualTo(before);

      String exported = RegistryExportTest.export(registry, null);
      importText(registry, exported);
      assertThat(dump(registry)).as("importing the export changes nothing").isEqualTo(before);
      assertThat(RegistryExportTest.export(registry, null)).isEqualTo(exported);

      var directory = registry.load();
      assertThat(directory.areaPath("a-line-1")).containsExactly("a-line-1", "a-hall-1", "a-plant");
      assertThat(directory.device("k0sr6A5BMbN", "cB05016F7")).isPresent();
    }
  }
}
