package io.thingpush.server.registry;

import static io.thingpush.server.registry.RegistryFixtures.EXAMPLE;
import static io.thingpush.server.registry.RegistryFixtures.dump;
import static io.thingpush.server.registry.RegistryFixtures.importText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.protocol.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryImportTest {
  private final Registry registry = RegistryFixtures.openInMemory();

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aNewRegistryIsEmpty() {
    Directory d = registry.load();

    assertThat(d.tenants()).isEmpty();
    assertThat(d.devices()).isEmpty();
  }

  @Test
  void importThenLoadGivesTheDirectory() {
    importText(registry, EXAMPLE);

    Directory d = registry.load();
    assertThat(d.tenants()).containsExactly(new Tenant("default", "Default tenant"));
    assertThat(d.projects()).containsExactly(new Project("p-plant", "default", "Plant"));
    assertThat(d.areas())
        .containsExactlyInAnyOrder(
            new Area("a-hall", "p-plant", null, "Hall"),
            new Area("a-line1", "p-plant", "a-hall", "Line 1"));
    assertThat(d.areaPath("a-line1")).containsExactly("a-line1", "a-hall");
    assertThat(d.device("k0sr6A5BMbN", "cB05016F7"))
        .contains(
            new Device("k0sr6A5BMbN", "cB05016F7", "s3cret", "default", "p-plant", "a-line1"));
    assertThat(d.grants("default", "alice"))
        .containsExactly(new Grant("default", "alice", "p-plant", null));
    assertThat(d.grants("default", "bob"))
        .containsExactly(new Grant("default", "bob", "p-plant", "a-line1"));
  }

  @Test
  void theThingModelIsKeptAsGiven() {
    importText(registry, EXAMPLE);

    var model = registry.load().product("k0sr6A5BMbN").orElseThrow().thingModel();
    assertThat(Json.text(model))
        .isEqualTo(
            "{\"properties\":[{\"identifier\":\"temp\",\"name\":\"Temperature\",\"type\":\"float\","
                + "\"min\":-40,\"max\":120,\"step\":0.1,\"unit\":\"°C\"}],"
                + "\"actions\":[{\"identifier\":\"reboot\",\"name\":\"Reboot\","
                + "\"input\":[],\"output\":[]}]}");
  }

  @Test
  void importingTwiceChangesNothing() throws Exception {
    importText(registry, EXAMPLE);
    List<String> once = dump(registry);
    Directory first = registry.load();

    importText(registry, EXAMPLE);

    assertThat(dump(registry)).isEqualTo(once);
    Directory second = registry.load();
    assertThat(second.devices()).containsExactlyInAnyOrderElementsOf(first.devices());
    assertThat(second.products()).containsExactlyElementsOf(first.products());
    assertThat(second.grants()).containsExactlyElementsOf(first.grants());
  }

  @Test
  void aSecondImportUpdatesWhatItNamesAndKeepsTheRest() {
    importText(registry, EXAMPLE);

    importText(
        registry,
        """
        {
          "tenants":  [{"code": "default", "name": "Renamed tenant"}],
          "projects": [{"id": "p-plant", "tenant": "default", "name": "Plant",
                        "areas": [{"id": "a-line1", "name": "Line 1 (moved to the root)"},
                                  {"id": "a-yard", "name": "Yard"}]}],
          "devices":  [{"productID": "k0sr6A5BMbN", "deviceName": "cB05016F7",
                        "secret": "new", "projectID": "p-plant", "areaID": "a-yard"},
                       {"productID": "k0sr6A5BMbN", "deviceName": "d2",
                        "secret": "s", "projectID": "p-plant"}],
          "grants":   [{"tenant": "default", "userID": 42, "projectID": "p-plant",
                        "areaIDs": ["a-hall", "a-yard"]}]
        }
        """);

    Directory d = registry.load();
    assertThat(d.tenant("default")).contains(new Tenant("default", "Renamed tenant"));
    assertThat(d.area("a-line1"))
        .contains(new Area("a-line1", "p-plant", null, "Line 1 (moved to the root)"));
    assertThat(d.areaPath("a-line1")).containsExactly("a-line1");
    assertThat(d.area("a-hall")).isPresent(); // not in the file: kept
    assertThat(d.device("k0sr6A5BMbN", "cB05016F7"))
        .contains(new Device("k0sr6A5BMbN", "cB05016F7", "new", "default", "p-plant", "a-yard"));
    assertThat(d.device("k0sr6A5BMbN", "d2"))
        .contains(new Device("k0sr6A5BMbN", "d2", "s", "default", "p-plant", null));
    assertThat(d.product("k0sr6A5BMbN")).isPresent();
    assertThat(d.grants("default", "alice")).hasSize(1);
    assertThat(d.grants("default", "42"))
        .containsExactlyInAnyOrder(
            new Grant("default", "42", "p-plant", "a-hall"),
            new Grant("default", "42", "p-plant", "a-yard"));
  }

  @Test
  void aDeviceMayMoveToAnotherProjectOfItsTenant() {
    importText(registry, EXAMPLE);

    importText(
        registry,
        """
        {"projects": [{"id": "p-other", "tenant": "default", "name": "Other",
                       "areas": [{"id": "a-other", "name": "Other area"}]}],
         "devices":  [{"productID": "k0sr6A5BMbN", "deviceName": "cB05016F7", "secret": "s3cret",
                       "projectID": "p-other", "areaID": "a-other"}]}
        """);

    assertThat(registry.load().device("k0sr6A5BMbN", "cB05016F7").orElseThrow())
        .extracting(Device::projectId, Device::areaId)
        .containsExactly("p-other", "a-other");
  }

  @Test
  void anEmptyObjectImportsNothing() throws Exception {
    importText(registry, EXAMPLE);
    List<String> before = dump(registry);

    importText(registry, "{}");

    assertThat(dump(registry)).isEqualTo(before);
  }

  @Test
  void aDatabaseFailureMidImportLeavesTheDatabaseAsItWas() throws Exception {
    importText(registry, EXAMPLE);
    List<String> before = dump(registry);
    // The file is valid, so the tenant, project and product rows are written before the device
    // insert fails on this constraint: all of them must be rolled back.
    try (Connection c = registry.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE device ADD CONSTRAINT short_secret CHECK (LENGTH(secret) < 10)");
    }

    assertThatThrownBy(
            () ->
                importText(
                    registry,
                    """
                    {"tenants":  [{"code": "t2", "name": "Second"}],
                     "projects": [{"id": "p2", "tenant": "t2", "name": "P2"}],
                     "products": [{"id": "prod2", "tenant": "t2", "name": "Prod", "thingModel": {}}],
                     "devices":  [{"productID": "prod2", "deviceName": "d", "projectID": "p2",
                                   "secret": "much-too-long-a-secret"}]}
                    """))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("nothing was written");

    assertThat(dump(registry)).isEqualTo(before);
  }

  @Test
  void aDatabaseEditedIntoACycleIsReportedOnLoad() throws Exception {
    importText(registry, EXAMPLE);
    try (Connection c = registry.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("UPDATE area SET parent_id = 'a-line1' WHERE id = 'a-hall'");
    }

    assertThatThrownBy(registry::load)
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("the registry database is inconsistent: areas form a cycle");
  }

  @Test
  void theDemoRegistryImports() throws Exception {
    try (InputStream demo = Registry.class.getResourceAsStream("/registry/demo.json")) {
      registry.importJson(demo);
    }

    Directory d = registry.load();
    assertThat(d.tenants()).extracting(Tenant::code).containsExactlyInAnyOrder("default", "acme");
    assertThat(d.project("p-factory").orElseThrow().name()).isEqualTo("Demo factory");
    assertThat(d.areaPath("a-line-1")).containsExactly("a-line-1", "a-hall-1", "a-plant");
    assertThat(d.areaPath("a-line-2")).containsExactly("a-line-2", "a-hall-1", "a-plant");
    assertThat(d.areaPath("a-office")).containsExactly("a-office", "a-plant");
    assertThat(d.devices()).hasSize(6);
    assertThat(d.devices()).filteredOn(dev -> dev.tenantCode().equals("default")).hasSize(5);
    assertThat(d.device("acme-meter", "meter-01").orElseThrow().tenantCode()).isEqualTo("acme");
    assertThat(d.product("env-sensor").orElseThrow().thingModel().get("properties"))
        .extracting(p -> p.get("identifier").asText())
        .containsExactly("temp", "humidity", "alarm", "mode", "label");
    assertThat(d.grants("default", "demo"))
        .containsExactly(new Grant("default", "demo", "p-factory", null));
    assertThat(d.grants("default", "viewer"))
        .containsExactly(new Grant("default", "viewer", "p-factory", "a-hall-1"));
  }

  @Test
  void importFileReadsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("registry.json");
    Files.writeString(file, EXAMPLE, StandardCharsets.UTF_8);

    registry.importFile(file);

    assertThat(registry.load().devices()).hasSize(1);
  }
}
