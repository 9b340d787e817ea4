package io.thingpush.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectoryTest {
  private static final Tenant DEFAULT = new Tenant("default", "Default tenant");
  private static final Tenant ACME = new Tenant("acme", "Acme");
  private static final Project PLANT = new Project("p-plant", "default", "Plant");
  private static final Project ACME_WORKS = new Project("p-acme", "acme", "Acme works");
  // p-plant: a-site -> a-hall -> a-line1, a-hall -> a-line2, a-site -> a-office; p-acme: a-acme
  private static final Area SITE = new Area("a-site", "p-plant", null, "Site");
  private static final Area HALL = new Area("a-hall", "p-plant", "a-site", "Hall");
  private static final Area LINE1 = new Area("a-line1", "p-plant", "a-hall", "Line 1");
  private static final Area LINE2 = new Area("a-line2", "p-plant", "a-hall", "Line 2");
  private static final Area OFFICE = new Area("a-office", "p-plant", "a-site", "Office");
  private static final Area ACME_ROOT = new Area("a-acme", "p-acme", null, "Acme floor");
  private static final Product SENSOR =
      new Product("env-sensor", "default", "Env sensor", JsonNodeFactory.instance.objectNode());
  private static final Product METER =
      new Product("acme-meter", "acme", "Meter", JsonNodeFactory.instance.objectNode());
  private static final Device S1 =
      new Device("env-sensor", "sensor-01", "secret-1", "default", "p-plant", "a-line1");
  private static final Device S2 =
      new Device("env-sensor", "sensor-02", "secret-2", "default", "p-plant", null);
  private static final Device M1 =
      new Device("acme-meter", "sensor-01", "secret-3", "acme", "p-acme", "a-acme");
  private static final Grant ALICE = new Grant("default", "alice", "p-plant", null);
  private static final Grant BOB_LINE1 = new Grant("default", "bob", "p-plant", "a-line1");
  private static final Grant BOB_OFFICE = new Grant("default", "bob", "p-plant", "a-office");
  private static final Grant ACME_ALICE = new Grant("acme", "alice", "p-acme", null);

  private static Directory sample() {
    // Children listed before their parents on purpose: the order of input must not matter.
    return Directory.of(
        List.of(DEFAULT, ACME),
        List.of(PLANT, ACME_WORKS),
        List.of(LINE1, LINE2, OFFICE, HALL, SITE, ACME_ROOT),
        List.of(SENSOR, METER),
        List.of(S1, S2, M1),
        List.of(ALICE, BOB_LINE1, BOB_OFFICE, ACME_ALICE));
  }

  @Test
  void areaPathRunsFromLeafToRootAcrossThreeLevels() {
    Directory d = sample();

    assertThat(d.areaPath("a-line1")).containsExactly("a-line1", "a-hall", "a-site");
    assertThat(d.areaPath("a-line2")).containsExactly("a-line2", "a-hall", "a-site");
    assertThat(d.areaPath("a-hall")).containsExactly("a-hall", "a-site");
    assertThat(d.areaPath("a-office")).containsExactly("a-office", "a-site");
    assertThat(d.areaPath("a-site")).containsExactly("a-site");
    assertThat(d.areaPath("a-acme")).containsExactly("a-acme");
  }

  @Test
  void areaPathIsEmptyForNullAndUnknown() {
    Directory d = sample();

    assertThat(d.areaPath(null)).isEmpty();
    assertThat(d.areaPath("a-nowhere")).isEmpty();
  }

  @Test
  void areaPathIsPrecomputedAndShared() {
    Directory d = sample();

    assertThat(d.areaPath("a-line1")).isSameAs(d.areaPath("a-line1"));
    assertThatThrownBy(() -> d.areaPath("a-line1").add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void looksUpEachKindById() {
    Directory d = sample();

    assertThat(d.tenant("acme")).contains(ACME);
    assertThat(d.project("p-plant")).contains(PLANT);
    assertThat(d.area("a-hall")).contains(HALL);
    assertThat(d.product("env-sensor")).contains(SENSOR);
    assertThat(d.tenant("nope")).isEmpty();
    assertThat(d.project("nope")).isEmpty();
    assertThat(d.area("nope")).isEmpty();
    assertThat(d.product("nope")).isEmpty();
  }

  @Test
  void looksUpDevicesByProductAndName() {
    Directory d = sample();

    assertThat(d.device("env-sensor", "sensor-01")).contains(S1);
    assertThat(d.device("env-sensor", "sensor-02")).contains(S2);
    // Same device name under another product is another device.
    assertThat(d.device("acme-meter", "sensor-01")).contains(M1);
    assertThat(d.device("env-sensor", "sensor-03")).isEmpty();
    assertThat(d.device("no-product", "sensor-01")).isEmpty();
  }

  @Test
  void grantsArePerTenantAndUser() {
    Directory d = sample();

    assertThat(d.grants("default", "alice")).containsExactly(ALICE);
    assertThat(d.grants("default", "bob")).containsExactlyInAnyOrder(BOB_LINE1, BOB_OFFICE);
    assertThat(d.grants("acme", "alice")).containsExactly(ACME_ALICE);
    assertThat(d.grants("acme", "bob")).isEmpty();
    assertThat(d.grants("nope", "alice")).isEmpty();
  }

  @Test
  void listsEverything() {
    Directory d = sample();

    assertThat(d.tenants()).containsExactly(DEFAULT, ACME);
    assertThat(d.projects()).containsExactly(PLANT, ACME_WORKS);
    assertThat(d.areas()).hasSize(6);
    assertThat(d.products()).containsExactly(SENSOR, METER);
    assertThat(d.devices()).containsExactlyInAnyOrder(S1, S2, M1);
    assertThat(d.grants()).hasSize(4);
  }

  @Test
  void emptyHasNothing() {
    Directory d = Directory.empty();

    assertThat(d.devices()).isEmpty();
    assertThat(d.projects()).isEmpty();
    assertThat(d.device("p", "d")).isEmpty();
    assertThat(d.grants("default", "alice")).isEmpty();
    assertThat(d.areaPath("a")).isEmpty();
  }

  @Test
  void refusesAnAreaWithAnUnknownParent() {
    Area orphan = new Area("a-orphan", "p-plant", "a-missing", "Orphan");

    assertThatThrownBy(
            () ->
                Directory.of(
                    List.of(), List.of(), List.of(orphan), List.of(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("area a-orphan has unknown parent a-missing");
  }

  @Test
  void refusesAParentInAnotherProject() {
    Area stray = new Area("a-stray", "p-acme", "a-site", "Stray");

    assertThatThrownBy(
            () ->
                Directory.of(
                    List.of(), List.of(), List.of(SITE, stray), List.of(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a-stray");
  }

  @Test
  void refusesACycle() {
    Area a = new Area("a", "p", "b", "A");
    Area b = new Area("b", "p", "a", "B");

    assertThatThrownBy(
            () ->
                Directory.of(List.of(), List.of(), List.of(a, b), List.of(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void refusesDuplicateIds() {
    assertThatThrownBy(
            () ->
                Directory.of(
                    List.of(), List.of(PLANT, PLANT), List.of(), List.of(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate project p-plant");
    assertThatThrownBy(
            () ->
                Directory.of(
                    List.of(), List.of(), List.of(), List.of(), List.of(S1, S1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate device env-sensor/sensor-01");
  }

  @Test
  void deviceToStringHidesTheSecret() {
    assertThat(S1.toString()).doesNotContain("secret-1").contains("sensor-01");
  }
}
