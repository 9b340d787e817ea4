package io.thingpush.server.registry;

import static io.thingpush.server.registry.RegistryFixtures.EXAMPLE;
import static io.thingpush.server.registry.RegistryFixtures.dump;
import static io.thingpush.server.registry.RegistryFixtures.importText;
import static io.thingpush.server.registry.RegistryFixtures.openInMemory;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Export writes the import format: import → export → import changes nothing, export is stable. */
class RegistryExportTest {
  static String export(Registry registry, String tenant) {
    StringWriter out = new StringWriter();
    registry.export(tenant, out);
    return out.toString();
  }

  static void importAll(Registry registry) throws Exception {
    importText(registry, EXAMPLE);
    for (String resource : List.of("/registry/demo.json", "/it/registry.json")) {
      try (InputStream in = Registry.class.getResourceAsStream(resource)) {
        registry.importJson(in);
      }
    }
  }

  @Test
  void importingAnExportIsAFixedPoint() throws Exception {
    try (Registry source = openInMemory();
        Registry copy = openInMemory()) {
      importAll(source);
      String exported = export(source, null);

      importText(copy, exported);
      assertThat(dump(copy)).isEqualTo(dump(source));
      assertThat(export(copy, null)).isEqualTo(exported);

      List<String> before = dump(source);
      importText(source, exported);
      assertThat(dump(source)).as("importing its own export changes nothing").isEqualTo(before);
    }
  }

  @Test
  void theExportIsTheImportFormatSortedById() throws Exception {
    try (Registry registry = openInMemory()) {
      importText(registry, EXAMPLE);
      JsonNode exported = Json.MAPPER.readTree(export(registry, null));
      JsonNode expected = Json.MAPPER.readTree(EXAMPLE);
      assertThat(exported).isEqualTo(expected);
    }
  }

  @Test
  void aTenantsExportHoldsOnlyItsOwnEntries() throws Exception {
    try (Registry registry = openInMemory();
        Registry copy = openInMemory()) {
      importAll(registry);
      String acme = export(registry, "acme");

      importText(copy, acme);
      assertThat(copy.load().tenants()).extracting(t -> t.code()).containsExactly("acme");
      assertThat(copy.load().devices())
          .allSatisfy(d -> assertThat(d.tenantCode()).isEqualTo("acme"));
      assertThat(export(copy, null)).isEqualTo(acme);
    }
  }
}
