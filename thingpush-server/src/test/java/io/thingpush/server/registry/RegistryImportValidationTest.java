package io.thingpush.server.registry;

import static io.thingpush.server.registry.RegistryFixtures.EXAMPLE;
import static io.thingpush.server.registry.RegistryFixtures.dump;
import static io.thingpush.server.registry.RegistryFixtures.importText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of invalid file is refused with a message naming the entry and the reason, and leaves
 * the database exactly as it was. The database already holds {@link RegistryFixtures#EXAMPLE} and
 * a second tenant {@code acme} with project {@code p-acme} and product {@code meter}.
 */
class RegistryImportValidationTest {
  private static final String ACME =
      """
      {"tenants":  [{"code": "acme", "name": "Acme"}],
       "projects": [{"id": "p-acme", "tenant": "acme", "name": "Acme works",
                     "areas": [{"id": "a-acme", "name": "Acme floor"}]}],
       "products": [{"id": "meter", "tenant": "acme", "name": "Meter", "thingModel": {}}]}
      """;

  private Registry registry;
  private List<String> before;

  @BeforeEach
  void seed() throws Exception {
    registry = RegistryFixtures.openInMemory();
    importText(registry, EXAMPLE);
    importText(registry, ACME);
    before = dump(registry);
  }

  @AfterEach
  void close() {
    registry.close();
  }

  static Stream<Arguments> invalidFiles() {
    return Stream.of(
        // The file as a whole
        bad("", "$: the file is empty"),
        bad("{\"tenants\": [", "$: not valid JSON: "),
        bad("{} {}", "$: not valid JSON: "),
        bad("[]", "$: must be a JSON object, not an array"),
        bad("{\"tenants\": [], \"tenants\": []}", "$: not valid JSON: Duplicate field 'tenants'"),
        bad(
            "{\"tenant\": []}",
            "tenant: unknown key (expected one of tenants, projects, products, devices, users, grants,"
                + " deviceGrants)"),
        bad("{\"tenants\": {}}", "tenants: must be an array, not an object"),
        bad("{\"tenants\": [\"default\"]}", "tenants[0]: must be an object, not a string"),
        // Fields
        bad("{\"tenants\": [{\"code\": \"t2\"}]}", "tenants[0].name: is missing"),
        bad(
            "{\"tenants\": [{\"code\": \"t2\", \"name\": \"\"}]}",
            "tenants[0].name: must not be empty"),
        bad(
            "{\"tenants\": [{\"code\": \"t2\", \"name\": \"  \"}]}",
            "tenants[0].name: must not be blank"),
        bad(
            "{\"projects\": [{\"tenant\": \"default\", \"name\": \"X\"}]}",
            "projects[0].id: is missing"),
        bad(
            "{\"projects\": [{\"id\": \"\", \"tenant\": \"default\", \"name\": \"X\"}]}",
            "projects[0].id: must not be empty"),
        bad(
            "{\"projects\": [{\"id\": 7, \"tenant\": \"default\", \"name\": \"X\"}]}",
            "projects[0].id: must be a string, not a number"),
        bad(
            "{\"projects\": [{\"id\": \"p-plant\", \"tenant\": \"default\", \"name\": \"Plant\","
                + " \"areas\": [{\"id\": \"a-x\"}]}]}",
            "projects[0].areas[0].name: is missing"),
        bad(
            "{\"projects\": [{\"id\": \"p-plant\", \"tenant\": \"default\", \"name\": \"Plant\","
                + " \"areas\": [{\"id\": \"a-x\", \"name\": \"X\", \"children\": [{\"name\": \"Y\"}]}]}]}",
            "projects[0].areas[0].children[0].id: is missing"),
        bad(
            "{\"devices\": [{\"productID\": \"k0sr6A5BMbN\", \"deviceName\": \"a/b\","
                + " \"secret\": \"s\", \"projectID\": \"p-plant\"}]}",
            "devices[0].deviceName: \"a/b\" may only contain letters, digits and _ . : @ -"),
        bad(
            "{\"tenants\": [{\"code\": \"" + "t".repeat(65) + "\", \"name\": \"X\"}]}",
            "tenants[0].code: is longer than 64 characters"),
        bad(
            "{\"devices\": [{\"productID\": \"k0sr6A5BMbN\", \"deviceName\": \"d\","
                + " \"projectID\": \"p-plant\"}]}",
            "devices[0].secret: is missing"),
        bad(
            "{\"devices\": [{\"productID\": \"k0sr6A5BMbN\", \"deviceName\": \"d\", \"secret\": \"s\","
                + " \"projectID\": \"p-plant\", \"areaId\": \"a-line1\"}]}",
            "devices[0].areaId: unknown key (expected one of productID, deviceName, secret,"
                + " projectID, areaID)"),
        bad(
            "{\"grants\": [{\"tenant\": \"default\", \"userID\": 1.5, \"projectID\": \"p-plant\"}]}",
            "grants[0].userID: must be a string or an integer, not a number"),
        bad(
            "{\"grants\": [{\"tenant\": \"default\", \"userID\": true, \"projectID\": \"p-plant\"}]}",
            "grants[0].userID: must be a string or an integer, not a boolean"),
        bad(
            "{\"grants\": [{\"tenant\": \"default\", \"userID\": \"u\", \"projectID\": \"p-plant\","
                + " \"areaIDs\": []}]}",
            "grants[0].areaIDs: must not be empty (leave it out to grant the whole project)"),
        bad(
            "{\"grants\": [{\"tenant\": \"default\", \"userID\": \"u\", \"projectID\": \"p-plant\","
                + " \"areaIDs\": \"a-hall\"}]}",
            "grants[0].areaIDs: must be an array, not a string"),
        // Thing models
        bad(product("[]"), "products[0].thingModel: must be an object"),
        bad(
            "{\"products\": [{\"id\": \"x\", \"tenant\": \"default\", \"name\": \"X\"}]}",
            "products[0].thingModel: is missing (use {} for a product without a model)"),
        bad(product("{\"properties\": {}}"), "products[0].thingModel.properties: must be an array"),
        bad(product("{\"actions\": 1}"), "products[0].thingModel.actions: must be an array"),
        bad(
            product("{\"properties\": [{\"type\": \"int\"}]}"),
            "products[0].thingModel.properties[0].identifier: is missing"),
        bad(
            product("{\"properties\": [{\"identifier\": \"\", \"type\": \"int\"}]}"),
            "products[0].thingModel.properties[0].identifier: must be 1 to 64 letters, digits or _"),
        bad(
            product("{\"properties\": [{\"identifier\": \"t\"}]}"),
            "products[0].thingModel.properties[0].type: is missing"),
        bad(
            product("{\"properties\": [{\"identifier\": \"t\", \"type\": \"double\"}]}"),
            "products[0].thingModel.properties[0].type: must be one of bool, int, float, enum,"
                + " string, timestamp, struct, array"),
        bad(
            product(
                "{\"properties\": [{\"identifier\": \"t\", \"type\": \"int\"},"
                    + " {\"identifier\": \"t\", \"type\": \"float\"}]}"),
            "products[0].thingModel.properties[1].identifier: duplicate identifier t"),
        bad(
            product("{\"events\": [{\"name\": \"e\"}]}"),
            "products[0].thingModel.events[0].identifier: is missing"),
        bad(
            product(
                "{\"properties\": [{\"identifier\": \"t\", \"type\": \"float\", \"min\": 5, \"max\": 1}]}"),
            "products[0].thingModel.properties[0].max: must not be below min 5"),
        bad(
            product(
                "{\"properties\": [{\"identifier\": \"m\", \"type\": \"enum\", \"mapping\": {\"a\": \"x\"}}]}"),
            "products[0].thingModel.properties[0].mapping.a: an enum key must be an integer"),
        bad(
            product(
                "{\"properties\": [{\"identifier\": \"s\", \"type\": \"struct\","
                    + " \"fields\": [{\"identifier\": \"x\", \"type\": \"int\", \"mx\": 1}]}]}"),
            "products[0].thingModel.properties[0].fields[0].mx: unknown key (expected one of identifier, name, desc,"
                + " type, min, max, step, unit)"),
        // Duplicates within the file
        bad(
            "{\"products\": [{\"id\": \"x\", \"tenant\": \"default\", \"name\": \"X\", \"thingModel\": {}},"
                + " {\"id\": \"x\", \"tenant\": \"default\", \"name\": \"Y\", \"thingModel\": {}}]}",
            "products[1].id: duplicate product x (first at products[0].id)"),
        bad(
            "{\"projects\": [{\"id\": \"p1\", \"tenant\": \"default\", \"name\": \"1\","
                + " \"areas\": [{\"id\": \"a-dup\", \"name\": \"A\"}]},"
                + " {\"id\": \"p2\", \"tenant\": \"default\", \"name\": \"2\","
                + " \"areas\": [{\"id\": \"a-dup\", \"name\": \"B\"}]}]}",
            "projects[1].areas[0].id: duplicate area a-dup (first at projects[0].areas[0].id)"),
        bad(
            "{\"devices\": ["
                + device("d", "p-plant", null)
                + ", "
                + device("d", "p-plant", null)
                + "]}",
            "devices[1].deviceName: duplicate device k0sr6A5BMbN/d (first at devices[0].deviceName)"),
        bad(
            "{\"grants\": [{\"tenant\": \"default\", \"userID\": \"u\", \"projectID\": \"p-plant\"},"
                + " {\"tenant\": \"default\", \"userID\": \"u\", \"projectID\": \"p-plant\"}]}",
            "grants[1]: duplicate grant of user u to project p-plant (first at grants[0])"),
        // References
        bad(
            "{\"projects\": [{\"id\": \"p-new\", \"tenant\": \"nope\", \"name\": \"X\"}]}",
            "projects[0].tenant: tenant nope does not exist"),
        bad(
            "{\"devices\": [{\"productID\": \"nope\", \"deviceName\": \"d\", \"secret\": \"s\","
                + " \"projectID\": \"p-plant\"}]}",
            "devices[0].productID: product nope does not exist"),
        bad(
            "{\"devices\": [" + device("d", "p-nope", null) + "]}",
            "devices[0].projectID: project p-nope does not exist"),
        bad(
            "{\"devices\": [" + device("d", "p-plant", "a-nope") + "]}",
            "devices[0].areaID: area a-nope does not exist"),
        bad(
            "{\"projects\": [{\"id\": \"p-two\", \"tenant\": \"default\", \"name\": \"Two\","
                + " \"areas\": [{\"id\": \"a-x\", \"name\": \"X\"}]}],"
                + " \"devices\": ["
                + device("d0", "p-plant", null)
                + ", "
                + device("d1", "p-plant", "a-hall")
                + ", "
                + device("d2", "p-two", "a-x")
                + ", "
                + device("d3", "p-plant", "a-x")
                + "]}",
            "devices[3].areaID: area a-x is not in project p-plant"),
        bad(
            "{\"grants\": [{\"tenant\": \"nope\", \"userID\": \"u\", \"projectID\": \"p-plant\"}]}",
            "grants[0].tenant: tenant nope does not exist"),
        bad(
            "{\"grants\": [{\"tenant\": \"default\", \"userID\": \"u\", \"projectID\": \"p-nope\"}]}",
            "grants[0].projectID: project p-nope does not exist"),
        bad(
            "{\"grants\": [{\"tenant\": \"default\", \"userID\": \"u\", \"projectID\": \"p-plant\","
                + " \"areaIDs\": [\"a-hall\", \"a-nope\"]}]}",
            "grants[0].areaIDs[1]: area a-nope does not exist"),
        bad(
            "{\"grants\": [{\"tenant\": \"default\", \"userID\": \"u\", \"projectID\": \"p-plant\","
                + " \"areaIDs\": [\"a-acme\"]}]}",
            "grants[0].areaIDs[0]: area a-acme is not in project p-plant"),
        // Tenant mismatches
        bad(
            "{\"devices\": [{\"productID\": \"meter\", \"deviceName\": \"m\", \"secret\": \"s\","
                + " \"projectID\": \"p-plant\"}]}",
            "devices[0].projectID: project p-plant is in tenant default but product meter is in"
                + " tenant acme"),
        bad(
            "{\"grants\": [{\"tenant\": \"acme\", \"userID\": \"u\", \"projectID\": \"p-plant\"}]}",
            "grants[0].projectID: project p-plant is not in tenant acme"),
        // Users and shared devices
        bad(
            "{\"users\": [{\"tenant\": \"default\", \"userID\": \"u\", \"isAdmin\": \"yes\"}]}",
            "users[0].isAdmin: must be true or false, not a string"),
        bad(
            "{\"users\": [{\"tenant\": \"nope\", \"userID\": \"u\"}]}",
            "users[0].tenant: tenant nope does not exist"),
        bad(
            "{\"users\": [{\"tenant\": \"default\", \"userID\": 7}, {\"tenant\": \"acme\", \"userID\": \"7\"}]}",
            "users[1].userID: duplicate user 7 (first at users[0].userID)"),
        bad(
            "{\"deviceGrants\": [{\"tenant\": \"default\", \"userID\": \"u\", \"productID\": \"k0sr6A5BMbN\","
                + " \"deviceName\": \"nope\"}]}",
            "deviceGrants[0].deviceName: device k0sr6A5BMbN/nope does not exist"),
        bad(
            "{\"devices\": ["
                + device("d", "p-plant", null)
                + "], \"deviceGrants\": [{\"tenant\": \"acme\","
                + " \"userID\": \"u\", \"productID\": \"k0sr6A5BMbN\", \"deviceName\": \"d\"}]}",
            "deviceGrants[0].deviceName: device k0sr6A5BMbN/d is not in tenant acme"),
        bad(
            "{\"deviceGrants\": [{\"tenant\": \"default\", \"userID\": \"u\", \"productID\": \"k0sr6A5BMbN\","
                + " \"deviceName\": \"cB05016F7\", \"areaID\": \"a-hall\"}]}",
            "deviceGrants[0].areaID: unknown key (expected one of tenant, userID, productID, deviceName)"),
        // Ids taken elsewhere in the installation
        bad(
            "{\"projects\": [{\"id\": \"p-plant\", \"tenant\": \"acme\", \"name\": \"Mine\"}]}",
            "projects[0].id: project p-plant already exists in tenant default"),
        bad(
            "{\"products\": [{\"id\": \"k0sr6A5BMbN\", \"tenant\": \"acme\", \"name\": \"X\","
                + " \"thingModel\": {}}]}",
            "products[0].id: product k0sr6A5BMbN already exists in tenant default"),
        bad(
            "{\"projects\": [{\"id\": \"p-acme\", \"tenant\": \"acme\", \"name\": \"Acme works\","
                + " \"areas\": [{\"id\": \"a-line1\", \"name\": \"Stolen\"}]}]}",
            "projects[0].areas[0].id: area a-line1 already exists in project p-plant"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidFiles")
  void anInvalidFileIsRefusedByNameAndChangesNothing(String json, String message) throws Exception {
    assertThatThrownBy(() -> importText(registry, json))
        .isInstanceOf(RegistryImportException.class)
        .hasMessageStartingWith(message);

    assertThat(dump(registry)).isEqualTo(before);
  }

  @Test
  void validEntriesOfAnInvalidFileAreNotWritten() throws Exception {
    assertThatThrownBy(
            () ->
                importText(
                    registry,
                    "{\"tenants\": [{\"code\": \"t-new\", \"name\": \"New\"}],"
                        + " \"devices\": ["
                        + device("d-new", "p-plant", null)
                        + ", "
                        + device("d-bad", "p-plant", "a-acme")
                        + "]}"))
        .isInstanceOf(RegistryImportException.class)
        .hasMessage("devices[1].areaID: area a-acme is not in project p-plant");

    assertThat(dump(registry)).isEqualTo(before);
    assertThat(registry.load().tenant("t-new")).isEmpty();
  }

  @Test
  void everyProblemIsListedInFileOrder() {
    assertThatThrownBy(
            () ->
                importText(
                    registry, "{\"tenants\": [{\"code\": \"a b\", \"name\": \"\"}], \"extra\": 1}"))
        .isInstanceOfSatisfying(
            RegistryImportException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RegistryImportException.Problem::toString)
                    .containsExactly(
                        "extra: unknown key (expected one of tenants, projects, products, devices,"
                            + " users, grants, deviceGrants)",
                        "tenants[0].code: \"a b\" may only contain letters, digits and _ . : @ -",
                        "tenants[0].name: must not be empty"))
        .hasMessageContaining("; tenants[0].code: ");
  }

  private static Arguments bad(String json, String message) {
    return Arguments.of(json, message);
  }

  private static String product(String thingModel) {
    return "{\"products\": [{\"id\": \"x\", \"tenant\": \"default\", \"name\": \"X\","
        + " \"thingModel\": "
        + thingModel
        + "}]}";
  }

  private static String device(String name, String projectId, String areaId) {
    return "{\"productID\": \"k0sr6A5BMbN\", \"deviceName\": \""
        + name
        + "\", \"secret\": \"s\","
        + " \"projectID\": \""
        + projectId
        + "\""
        + (areaId == null ? "" : ", \"areaID\": \"" + areaId + "\"")
        + "}";
  }
}
