package io.thingpush.server.it.registry;

import static io.thingpush.server.it.AdminClient.ok;
import static io.thingpush.server.it.AdminClient.refused;
import static io.thingpush.server.it.Jsons.assertJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.TestServer;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API over real HTTP against a server whose registry is on the real PostgreSQL: every
 * operation, its refusals (code in the body, HTTP status), paging and filters, and that a refused
 * write leaves everything as it was. Tests use ids of their own so that their order does not matter.
 */
class AdminApiTest {
  @RegisterExtension static final TestServer server = TestServer.forClassOnPostgres();
  private static AdminClient platform;
  private static AdminClient admin;

  @BeforeAll
  static void start() {
    platform = new AdminClient(server, server.tokenOf(TestServer.PLATFORM_ADMIN));
    admin = new AdminClient(server, server.token("boss").admin().sign());
  }

  @Test
  void aProjectIsCreatedReadListedRenamedAndDeleted() {
    assertJson(
        ok(admin.post("/tenants/default/projects", "{'id':'p-crud','name':'Crud'}"), 201),
        "{'id':'p-crud','tenant':'default','name':'Crud'}");
    assertJson(
        ok(admin.get("/tenants/default/projects/p-crud"), 200),
        "{'id':'p-crud','tenant':'default','name':'Crud'}");
    assertJson(
        ok(admin.get("/tenants/default/projects?q=CRU"), 200),
        "{'items':[{'id':'p-crud','tenant':'default','name':'Crud'}],'total':1,'offset':0,'limit':100}");
    assertJson(
        ok(admin.put("/tenants/default/projects/p-crud", "{'name':'Renamed'}"), 200),
        "{'id':'p-crud','tenant':'default','name':'Renamed'}");

    ok(admin.delete("/tenants/default/projects/p-crud"), 200);

    JsonNode gone = refused(admin.get("/tenants/default/projects/p-crud"), 404, 100009);
    assertThat(gone.path("msg").asText()).isEqualTo("not found: project p-crud");
  }

  @Test
  void listsArePagedAndFiltered() {
    JsonNode first = ok(admin.get("/tenants/default/devices?limit=5"), 200);
    assertThat(first.path("total").asInt()).isEqualTo(20);
    assertThat(names(first)).containsExactly("1001", "d1", "d2", "d3", "d4");
    JsonNode last = ok(admin.get("/tenants/default/devices?offset=18&limit=5"), 200);
    assertThat(names(last)).containsExactly("mdev11", "mdev2");

    assertThat(names(ok(admin.get("/tenants/default/devices?projectID=p1"), 200)))
        .containsExactly("d1", "d2", "d3", "d4");
    assertThat(names(ok(admin.get("/tenants/default/devices?areaID=a111"), 200)))
        .containsExactly("d1");
    assertThat(names(ok(admin.get("/tenants/default/devices?projectID=p2&q=K1"), 200)))
        .containsExactly("k10", "k11", "k12");
    assertJson(
        ok(admin.get("/tenants/default/projects/p1/areas?parentID=a1"), 200),
        "{'items':[{'id':'a11','projectID':'p1','parentID':'a1','name':'Line 1'},"
            + "{'id':'a12','projectID':'p1','parentID':'a1','name':'Line 2'}],'total':2,'offset':0,'limit':100}");

    refused(admin.get("/tenants/default/devices?limit=0"), 400, 100015);
    refused(admin.get("/tenants/default/devices?limit=1001"), 400, 100015);
    refused(admin.get("/tenants/default/devices?offset=-1"), 400, 100015);
    refused(admin.get("/tenants/default/devices?limit=ten"), 400, 100014);
  }

  @Test
  void aBadBodyIsRefusedWithEveryProblemNamed() {
    JsonNode r =
        refused(
            admin.post("/tenants/default/projects", "{'id':'a/b','name':' ','color':'red'}"),
            400,
            100006);
    assertThat(r.path("msg").asText())
        .isEqualTo(
            "parameter error: color: unknown key (expected one of id, name); "
                + "id: \"a/b\" may only contain letters, digits and _ . : @ -; name: must not be blank");

    refused(
        server.http(
            "POST",
            "/api/v1/admin/tenants/default/projects",
            "Bearer " + server.token("boss").admin().sign(),
            "{not json"),
        400,
        100006);
    refused(admin.post("/tenants/default/projects", "[1]"), 400, 100006);
    refused(
        admin.post(
            "/tenants/default/products",
            "{'id':'pr-bad','name':'Bad','thingModel':{'properties':[{'identifier':'t','type':'complex'}]}}"),
        400,
        100006);
    refused(admin.get("/tenants/default/projects/p-never"), 404, 100009);
  }

  @Test
  void idsAreUniqueAcrossTheInstallationWithoutSayingWhose() {
    JsonNode r =
        refused(admin.post("/tenants/default/projects", "{'id':'px','name':'Mine'}"), 409, 100006);
    assertThat(r.path("msg").asText()).isEqualTo("parameter error: project id px is already taken");
    refused(
        admin.post("/tenants/default/projects/p1/areas", "{'id':'ax1','name':'Mine'}"),
        409,
        100006);
    refused(
        admin.post("/tenants/default/products", "{'id':'prodX','name':'Mine','thingModel':{}}"),
        409,
        100006);
    refused(
        admin.post(
            "/tenants/default/devices", "{'productID':'prodA','deviceName':'d1','projectID':'p1'}"),
        409,
        100006);
  }

  @Test
  void anAreaMovesWithItsSubtreeAndNeverIntoItself() {
    ok(admin.post("/tenants/default/projects", "{'id':'p-tree','name':'Tree'}"), 201);
    ok(admin.post("/tenants/default/projects/p-tree/areas", "{'id':'t-top','name':'Top'}"), 201);
    ok(
        admin.post(
            "/tenants/default/projects/p-tree/areas",
            "{'id':'t-mid','name':'Mid','parentID':'t-top'}"),
        201);
    ok(
        admin.post(
            "/tenants/default/projects/p-tree/areas",
            "{'id':'t-leaf','name':'Leaf','parentID':'t-mid'}"),
        201);
    ok(
        admin.post("/tenants/default/projects/p-tree/areas", "{'id':'t-other','name':'Other'}"),
        201);

    assertJson(
        ok(
            admin.put(
                "/tenants/default/projects/p-tree/areas/t-mid",
                "{'name':'Mid','parentID':'t-other'}"),
            200),
        "{'id':'t-mid','projectID':'p-tree','parentID':'t-other','name':'Mid'}");
    assertJson(
        ok(admin.get("/tenants/default/projects/p-tree/areas/t-leaf"), 200),
        "{'id':'t-leaf','projectID':'p-tree','parentID':'t-mid','name':'Leaf'}");

    JsonNode cycle =
        refused(
            admin.put(
                "/tenants/default/projects/p-tree/areas/t-other",
                "{'name':'Other','parentID':'t-leaf'}"),
            409,
            100006);
    assertThat(cycle.path("msg").asText())
        .isEqualTo("parameter error: area t-other cannot move under its own sub-area t-leaf");
    refused(
        admin.put(
            "/tenants/default/projects/p-tree/areas/t-other",
            "{'name':'Other','parentID':'t-other'}"),
        409,
        100006);
    refused(
        admin.put(
            "/tenants/default/projects/p-tree/areas/t-other", "{'name':'Other','parentID':'a1'}"),
        404,
        100009);
    JsonNode busy =
        refused(admin.delete("/tenants/default/projects/p-tree/areas/t-other"), 409, 100006);
    assertThat(busy.path("msg").asText())
        .isEqualTo("parameter error: area t-other still has 1 sub-areas and 0 devices");

    assertJson(
        ok(admin.put("/tenants/default/projects/p-tree/areas/t-mid", "{'name':'Middle'}"), 200),
        "{'id':'t-mid','projectID':'p-tree','parentID':null,'name':'Middle'}");
    ok(admin.delete("/tenants/default/projects/p-tree/areas/t-leaf"), 200);
    assertThat(ok(admin.get("/tenants/default/projects/p-tree/areas"), 200).path("total").asInt())
        .isEqualTo(3);
  }

  @Test
  void aProductKeepsItsThingModelAndCannotGoWhileItHasDevices() {
    String model =
        "{'properties':[{'identifier':'level','name':'Level','type':'int','min':0,'max':9}]}";
    assertJson(
        ok(
            admin.post(
                "/tenants/default/products",
                "{'id':'pr-tank','name':'Tank','thingModel':" + model + "}"),
            201),
        "{'id':'pr-tank','tenant':'default','name':'Tank','thingModel':" + model + "}");
    assertJson(
        ok(
            admin.put("/tenants/default/products/pr-tank", "{'name':'Tank 2','thingModel':{}}"),
            200),
        "{'id':'pr-tank','tenant':'default','name':'Tank 2','thingModel':{}}");
    ok(
        admin.post(
            "/tenants/default/devices",
            "{'productID':'pr-tank','deviceName':'t1','projectID':'p2'}"),
        201);

    JsonNode r = refused(admin.delete("/tenants/default/products/pr-tank"), 409, 100006);
    assertThat(r.path("msg").asText())
        .isEqualTo("parameter error: product pr-tank still has 1 devices");

    ok(admin.delete("/tenants/default/devices/pr-tank/t1"), 200);
    ok(admin.delete("/tenants/default/products/pr-tank"), 200);
    refused(admin.get("/tenants/default/products/pr-tank"), 404, 100009);
  }

  @Test
  void aDeviceSecretIsShownOnceAndCanBeRegenerated() {
    JsonNode created =
        ok(
            admin.post(
                "/tenants/default/devices",
                "{'productID':'prodA','deviceName':'new-1','projectID':'p1','areaID':'a12'}"),
            201);
    assertJson(
        created,
        "{'productID':'prodA','deviceName':'new-1','projectID':'p1','areaID':'a12','secret':'*'}");
    String secret = created.path("secret").asText();
    assertThat(secret).matches("[0-9a-f]{32}");

    assertJson(
        ok(admin.get("/tenants/default/devices/prodA/new-1"), 200),
        "{'productID':'prodA','deviceName':'new-1','projectID':'p1','areaID':'a12'}");
    JsonNode regenerated = ok(admin.post("/tenants/default/devices/prodA/new-1/secret", "{}"), 200);
    assertThat(regenerated.path("secret").asText()).matches("[0-9a-f]{32}").isNotEqualTo(secret);

    assertJson(
        ok(admin.put("/tenants/default/devices/prodA/new-1", "{'projectID':'p2'}"), 200),
        "{'productID':'prodA','deviceName':'new-1','projectID':'p2','areaID':null}");
    JsonNode wrongArea =
        refused(
            admin.put("/tenants/default/devices/prodA/new-1", "{'projectID':'p2','areaID':'a1'}"),
            404,
            100009);
    assertThat(wrongArea.path("msg").asText()).isEqualTo("not found: area a1 in project p2");
    refused(
        admin.post(
            "/tenants/default/devices", "{'productID':'nope','deviceName':'x','projectID':'p1'}"),
        404,
        100009);

    ok(admin.delete("/tenants/default/devices/prodA/new-1"), 200);
    refused(admin.get("/tenants/default/devices/prodA/new-1"), 404, 100009);
    refused(admin.delete("/tenants/default/devices/prodA/new-1"), 404, 100009);
  }

  @Test
  void grantsAreAddedOnceListedAndRevoked() {
    assertJson(
        ok(
            admin.post("/tenants/default/grants", "{'userID':77,'projectID':'p1','areaID':'a12'}"),
            201),
        "{'tenant':'default','userID':'77','projectID':'p1','areaID':'a12'}");
    ok(
        admin.post("/tenants/default/grants", "{'userID':'77','projectID':'p1','areaID':'a12'}"),
        200);
    ok(admin.post("/tenants/default/grants", "{'userID':'77','projectID':'p2'}"), 201);
    assertJson(
        ok(admin.get("/tenants/default/grants?userID=77"), 200),
        "{'items':[{'tenant':'default','userID':'77','projectID':'p1','areaID':'a12'},"
            + "{'tenant':'default','userID':'77','projectID':'p2','areaID':null}],'total':2,'offset':0,'limit':100}");

    ok(admin.delete("/tenants/default/grants?userID=77&projectID=p1&areaID=a12"), 200);
    refused(admin.delete("/tenants/default/grants?userID=77&projectID=p1&areaID=a12"), 404, 100009);
    refused(admin.delete("/tenants/default/grants?userID=77"), 400, 100006);
    refused(
        admin.post("/tenants/default/grants", "{'userID':'77','projectID':'p1','areaID':'b1'}"),
        404,
        100009);
    assertThat(ok(admin.get("/tenants/default/grants?userID=77"), 200).path("total").asInt())
        .isEqualTo(1);
  }

  @Test
  void usersAreCreatedReadListedUpdatedAndDeleted() {
    assertJson(
        ok(
            admin.post("/tenants/default/users", "{'userID':1790000000000000077,'isAdmin':false}"),
            201),
        "{'userID':'1790000000000000077','tenant':'default','isAdmin':false}");
    refused(admin.post("/tenants/default/users", "{'userID':'1790000000000000077'}"), 409, 100006);
    // User ids are installation-unique: another tenant cannot take it, nor learn whose it is.
    JsonNode taken =
        refused(
            platform.post("/tenants/acme/users", "{'userID':'1790000000000000077'}"), 409, 100006);
    assertThat(taken.path("msg").asText()).doesNotContain("default");
    refused(admin.post("/tenants/default/users", "{'userID':'u','isAdmin':'yes'}"), 400, 100006);

    assertJson(
        ok(admin.put("/tenants/default/users/1790000000000000077", "{'isAdmin':true}"), 200),
        "{'userID':'1790000000000000077','tenant':'default','isAdmin':true}");
    assertJson(
        ok(admin.get("/tenants/default/users?q=0077"), 200),
        "{'items':[{'userID':'1790000000000000077','tenant':'default','isAdmin':true}],'total':1,'offset':0,"
            + "'limit':100}");
    refused(platform.get("/tenants/acme/users/1790000000000000077"), 404, 100009);

    ok(admin.delete("/tenants/default/users/1790000000000000077"), 200);
    refused(admin.get("/tenants/default/users/1790000000000000077"), 404, 100009);
  }

  @Test
  void aLoginTokenOfARegistryAdminManagesItsTenant() {
    AdminClient iThingsAdmin = new AdminClient(server, server.login("1790000000000000009").sign());
    assertThat(ok(iThingsAdmin.get("/tenants/default/projects?q=p1"), 200).path("total").asInt())
        .isPositive();
    refused(iThingsAdmin.get("/tenants/acme/projects"), 403, 100012);
    AdminClient iThingsUser = new AdminClient(server, server.login("1790000000000000001").sign());
    refused(iThingsUser.get("/tenants/default/projects"), 403, 100012);
  }

  @Test
  void devicesAreSharedOnceListedAndUnshared() {
    assertJson(
        ok(
            admin.post(
                "/tenants/default/device-grants",
                "{'userID':78,'productID':'prodA','deviceName':'d1'}"),
            201),
        "{'tenant':'default','userID':'78','productID':'prodA','deviceName':'d1'}");
    ok(
        admin.post(
            "/tenants/default/device-grants",
            "{'userID':'78','productID':'prodA','deviceName':'d1'}"),
        200);
    ok(
        admin.post(
            "/tenants/default/device-grants",
            "{'userID':'78','productID':'prodA','deviceName':'e1'}"),
        201);
    assertJson(
        ok(admin.get("/tenants/default/device-grants?userID=78"), 200),
        "{'items':[{'tenant':'default','userID':'78','productID':'prodA','deviceName':'d1'},"
            + "{'tenant':'default','userID':'78','productID':'prodA','deviceName':'e1'}],'total':2,'offset':0,"
            + "'limit':100}");
    // A device of another tenant is not found.
    refused(
        admin.post(
            "/tenants/default/device-grants",
            "{'userID':'78','productID':'prodX','deviceName':'x1'}"),
        404,
        100009);
    refused(
        admin.post("/tenants/default/device-grants", "{'userID':'78','productID':'prodA'}"),
        400,
        100006);

    ok(admin.delete("/tenants/default/device-grants?userID=78&productID=prodA&deviceName=d1"), 200);
    refused(
        admin.delete("/tenants/default/device-grants?userID=78&productID=prodA&deviceName=d1"),
        404,
        100009);
    refused(admin.delete("/tenants/default/device-grants?userID=78&productID=prodA"), 400, 100006);
    assertThat(ok(admin.get("/tenants/default/device-grants?userID=78"), 200).path("total").asInt())
        .isEqualTo(1);
  }

  @Test
  void aDeletedDeviceTakesItsSharesWithIt() {
    ok(
        admin.post(
            "/tenants/default/devices",
            "{'productID':'prodA','deviceName':'shared-1','projectID':'p1'}"),
        201);
    ok(
        admin.post(
            "/tenants/default/device-grants",
            "{'userID':'79','productID':'prodA','deviceName':'shared-1'}"),
        201);

    ok(admin.delete("/tenants/default/devices/prodA/shared-1"), 200);

    assertThat(ok(admin.get("/tenants/default/device-grants?userID=79"), 200).path("total").asInt())
        .isZero();
  }

  @Test
  void aRefusedDeleteLeavesEverythingAsItWas() {
    ok(admin.post("/tenants/default/projects", "{'id':'p-keep','name':'Keep'}"), 201);
    ok(admin.post("/tenants/default/projects/p-keep/areas", "{'id':'k-area','name':'Area'}"), 201);
    ok(
        admin.post(
            "/tenants/default/grants",
            "{'userID':'keeper','projectID':'p-keep','areaID':'k-area'}"),
        201);
    ok(
        admin.post(
            "/tenants/default/devices",
            "{'productID':'prodA','deviceName':'keep-1','projectID':'p-keep'}"),
        201);

    JsonNode r = refused(admin.delete("/tenants/default/projects/p-keep"), 409, 100006);
    assertThat(r.path("msg").asText())
        .isEqualTo("parameter error: project p-keep still has 1 devices");

    ok(admin.get("/tenants/default/projects/p-keep/areas/k-area"), 200);
    assertThat(ok(admin.get("/tenants/default/grants?userID=keeper"), 200).path("total").asInt())
        .isEqualTo(1);

    ok(admin.delete("/tenants/default/devices/prodA/keep-1"), 200);
    ok(admin.delete("/tenants/default/projects/p-keep"), 200);
    assertThat(ok(admin.get("/tenants/default/grants?userID=keeper"), 200).path("total").asInt())
        .isZero();
  }

  @Test
  void aPlatformAdminManagesTenants() {
    assertJson(
        ok(platform.post("/tenants", "{'code':'newco','name':'New Co'}"), 201),
        "{'code':'newco','name':'New Co'}");
    refused(platform.post("/tenants", "{'code':'newco','name':'Again'}"), 409, 100006);
    assertThat(ok(platform.get("/tenants?q=new"), 200).path("total").asInt()).isEqualTo(1);
    ok(platform.put("/tenants/newco", "{'name':'Newer Co'}"), 200);
    ok(platform.post("/tenants/newco/projects", "{'id':'p-newco','name':'First'}"), 201);

    JsonNode r = refused(platform.delete("/tenants/newco"), 409, 100006);
    assertThat(r.path("msg").asText())
        .isEqualTo("parameter error: tenant newco still has 1 projects and 0 products");
    ok(platform.delete("/tenants/newco/projects/p-newco"), 200);
    ok(platform.delete("/tenants/newco"), 200);
    refused(platform.get("/tenants/newco"), 404, 100009);
    refused(platform.post("/tenants/nobody/projects", "{'id':'p-nobody','name':'X'}"), 404, 100009);
  }

  @Test
  void onlyAValidAdminTokenGetsIn() {
    refused(new AdminClient(server, null).get("/tenants/default/projects"), 401, 100005);
    refused(new AdminClient(server, "not-a-jwt").get("/tenants/default/projects"), 401, 100004);
    refused(
        new AdminClient(
                server,
                server.token("boss").admin().expiresAt(Instant.now().minusSeconds(5)).sign())
            .get("/tenants/default/projects"),
        401,
        100002);
    refused(
        new AdminClient(
                server,
                server
                    .token("boss")
                    .admin()
                    .signedWith("another-secret-of-at-least-32-bytes!!")
                    .sign())
            .get("/tenants/default/projects"),
        401,
        100005);
    refused(
        new AdminClient(server, server.tokenOf("alice")).get("/tenants/default/projects"),
        403,
        100012);
    refused(admin.get("/tenants"), 403, 100012);
    refused(admin.post("/tenants", "{'code':'mine','name':'Mine'}"), 403, 100012);
    refused(admin.put("/tenants/default", "{'name':'Renamed'}"), 403, 100012);
    assertJson(ok(admin.get("/tenants/default"), 200), "{'code':'default','name':'Default'}");
  }

  @Test
  void aPlatformAdminExportsAndImportsTheRegistry() {
    TestServer.HttpResult exported = platform.get("/export");
    assertThat(exported.status()).isEqualTo(200);
    assertThat(exported.json().path("devices").size()).isGreaterThanOrEqualTo(21);

    ok(platform.post("/import", exported.body()), 200);
    assertThat(platform.get("/export").body())
        .as("importing the export changes nothing")
        .isEqualTo(exported.body());

    JsonNode bad =
        refused(
            platform.post(
                "/import",
                "{'devices':[{'productID':'prodA','deviceName':'zz',"
                    + "'secret':'s','projectID':'p-none'}]}"),
            400,
            100006);
    assertThat(bad.path("msg").asText())
        .isEqualTo("parameter error: devices[0].projectID: project p-none does not exist");
    refused(admin.post("/import", "{}"), 403, 100012);
  }

  /**
   * {@code curl -d} sends {@code application/x-www-form-urlencoded}: a body is read as the JSON it
   * is whatever the Content-Type says, the {@code %} of a unit included.
   */
  @Test
  void aBodyIsJsonWhateverItsContentTypeSays() throws Exception {
    String model =
        "{\"properties\":[{\"identifier\":\"fill\",\"name\":\"Fill\",\"type\":\"int\","
            + "\"min\":0,\"max\":100,\"unit\":\"%\"}]}";
    TestServer.HttpResult created =
        server.http(
            "POST",
            AdminClient.BASE + "/tenants/default/products",
            "Bearer " + server.token("boss").admin().sign(),
            "application/x-www-form-urlencoded",
            HttpRequest.BodyPublishers.ofString(
                "{\"id\":\"pr-fill\",\"name\":\"Fill\",\"thingModel\":" + model + "}"));
    assertThat(ok(created, 201).at("/thingModel/properties/0/unit").asText()).isEqualTo("%");
    ok(admin.delete("/tenants/default/products/pr-fill"), 200);

    try (TestServer fresh = TestServer.start();
        InputStream demo =
            ThingPushServer.class.getResourceAsStream(ThingPushServer.DEMO_REGISTRY)) {
      TestServer.HttpResult imported =
          fresh.http(
              "POST",
              AdminClient.BASE + "/import",
              "Bearer " + fresh.tokenOf(TestServer.PLATFORM_ADMIN),
              "application/x-www-form-urlencoded",
              HttpRequest.BodyPublishers.ofByteArray(demo.readAllBytes()));
      ok(imported, 200);
      JsonNode sensor =
          ok(
              new AdminClient(fresh, fresh.tokenOf(TestServer.PLATFORM_ADMIN))
                  .get("/tenants/default/products/env-sensor"),
              200);
      assertThat(sensor.toString()).contains("\"unit\":\"%\"");
    }
  }

  /** Every operation the description lists is routed (a miss answers 404 "no such path", or 405). */
  @Test
  void theOpenApiDescriptionIsServedAndDescribesTheRoutes() throws Exception {
    TestServer.HttpResult r = server.http("GET", "/api/v1/admin/openapi.yaml", null, null);
    assertThat(r.status()).isEqualTo(200);
    JsonNode spec =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(r.body());
    assertThat(spec.path("servers").get(0).path("url").asText()).isEqualTo("/api/v1/admin");
    List<String> operations = new ArrayList<>();
    spec.path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (!method.equals("parameters")
                              && !path.getKey().equals("/openapi.yaml")) {
                            operations.add(
                                method.toUpperCase()
                                    + " "
                                    + path.getKey().replaceAll("\\{[A-Za-z]+}", "zz-none"));
                          }
                        }));
    assertThat(operations).hasSize(44);
    String token = "Bearer " + server.tokenOf(TestServer.PLATFORM_ADMIN);
    for (String operation : operations) {
      String[] parts = operation.split(" ");
      TestServer.HttpResult answer = server.http(parts[0], "/api/v1/admin" + parts[1], token, "{}");
      assertThat(answer.contentType())
          .as(operation + " -> " + answer)
          .startsWith("application/json");
      assertThat(answer.status()).as(operation + " -> " + answer).isNotEqualTo(405);
      assertThat(answer.json().path("msg").asText())
          .as(operation + " -> " + answer)
          .doesNotContain("no such path");
    }
  }

  private static List<String> names(JsonNode page) {
    List<String> names = new ArrayList<>();
    page.path("items").forEach(d -> names.add(d.path("deviceName").asText()));
    return names;
  }
}
