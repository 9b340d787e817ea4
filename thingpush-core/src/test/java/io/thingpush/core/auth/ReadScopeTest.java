package io.thingpush.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.thingpush.core.directory.Area;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user sees of the registry follows the grant rules and never leaves the tenant. */
class ReadScopeTest {
  // default: p-plant (a-site > a-hall > a-line1, a-site > a-office), p-lab; acme: p-acme.
  private static final Directory DIR =
      Directory.of(
          List.of(new Tenant("default", "Default"), new Tenant("acme", "Acme")),
          List.of(
              new Project("p-plant", "default", "Plant"),
              new Project("p-lab", "default", "Lab"),
              new Project("p-acme", "acme", "Acme works")),
          List.of(
              new Area("a-site", "p-plant", null, "Site"),
              new Area("a-hall", "p-plant", "a-site", "Hall"),
              new Area("a-line1", "p-plant", "a-hall", "Line 1"),
              new Area("a-office", "p-plant", "a-site", "Office"),
              new Area("a-acme", "p-acme", null, "Acme floor")),
          List.of(
              new Product("sensor", "default", "Sensor", JsonNodeFactory.instance.objectNode()),
              new Product("pump", "default", "Pump", JsonNodeFactory.instance.objectNode()),
              new Product("meter", "acme", "Meter", JsonNodeFactory.instance.objectNode())),
          List.of(
              new Device("sensor", "line1", "s", "default", "p-plant", "a-line1"),
              new Device("pump", "office", "s", "default", "p-plant", "a-office"),
              new Device("sensor", "loose", "s", "default", "p-plant", null),
              new Device("sensor", "lab", "s", "default", "p-lab", null),
              new Device("meter", "m1", "s", "acme", "p-acme", "a-acme")),
          List.of(
              new Grant("default", "alice", "p-plant", null),
              new Grant("default", "bob", "p-plant", "a-hall"),
              new Grant("acme", "alice", "p-acme", null)));

  private static ReadScope scope(String tenant, String user, boolean admin) {
    return ReadScope.of(DIR, new Principal(tenant, user, admin, null, null, null));
  }

  @Test
  void aProjectGrantShowsTheWholeProjectAndNothingElse() {
    ReadScope alice = scope("default", "alice", false);

    assertThat(alice.projects()).extracting(Project::id).containsExactly("p-plant");
    assertThat(alice.areas())
        .extracting(Area::id)
        .containsExactly("a-site", "a-hall", "a-line1", "a-office");
    assertThat(alice.devices())
        .extracting(Device::deviceName)
        .containsExactly("office", "line1", "loose");
    assertThat(alice.products()).extracting(Product::id).containsExactly("pump", "sensor");
  }

  @Test
  void anAreaGrantShowsThatAreaItsSubAreasAndTheirDevicesOnly() {
    ReadScope bob = scope("default", "bob", false);

    assertThat(bob.projects()).extracting(Project::id).containsExactly("p-plant");
    assertThat(bob.areas()).extracting(Area::id).containsExactly("a-hall", "a-line1");
    assertThat(bob.devices()).extracting(Device::deviceName).containsExactly("line1");
    assertThat(bob.products()).extracting(Product::id).containsExactly("sensor");
  }

  @Test
  void anAdminSeesEveryProjectOfItsTenantOnly() {
    ReadScope root = scope("default", "root", true);

    assertThat(root.projects()).extracting(Project::id).containsExactly("p-plant", "p-lab");
    assertThat(root.devices())
        .extracting(Device::deviceName)
        .containsExactly("office", "lab", "line1", "loose");
    assertThat(root.areas()).extracting(Area::id).doesNotContain("a-acme");
    assertThat(root.products()).extracting(Product::id).doesNotContain("meter");
  }

  @Test
  void theSameUserIdInAnotherTenantSeesOnlyThatTenant() {
    ReadScope acmeAlice = scope("acme", "alice", false);

    assertThat(acmeAlice.projects()).extracting(Project::id).containsExactly("p-acme");
    assertThat(acmeAlice.devices()).extracting(Device::deviceName).containsExactly("m1");
  }

  @Test
  void aUserWithoutGrantsSeesNothing() {
    ReadScope carol = scope("default", "carol", false);

    assertThat(carol.projects()).isEmpty();
    assertThat(carol.areas()).isEmpty();
    assertThat(carol.devices()).isEmpty();
    assertThat(carol.products()).isEmpty();
  }
}
