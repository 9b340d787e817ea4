package io.thingpush.server.registry;

import static io.thingpush.server.registry.RegistryFixtures.EXAMPLE;
import static io.thingpush.server.registry.RegistryFixtures.dump;
import static io.thingpush.server.registry.RegistryFixtures.importText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same migrations and import on a real PostgreSQL. Runs only when
 * {@code THINGPUSH_TEST_POSTGRES_URL} names an empty database (user and password from
 * {@code THINGPUSH_TEST_POSTGRES_USER} / {@code _PASSWORD}), e.g.
 * {@code jdbc:postgresql://localhost:5432/thingpush_test}.
 */
@EnabledIfEnvironmentVariable(named = "THINGPUSH_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.*")
class RegistryPostgresTest {
  @Test
  void migratesImportsAndLoads() throws Exception {
    try (Registry registry =
        Registry.open(
            System.getenv("THINGPUSH_TEST_POSTGRES_URL"),
            System.getenv().getOrDefault("THINGPUSH_TEST_POSTGRES_USER", "postgres"),
            System.getenv().getOrDefault("THINGPUSH_TEST_POSTGRES_PASSWORD", ""),
            2)) {
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

      var directory = registry.load();
      assertThat(directory.areaPath("a-line-1")).containsExactly("a-line-1", "a-hall-1", "a-plant");
      assertThat(directory.device("k0sr6A5BMbN", "cB05016F7")).isPresent();
    }
  }
}
