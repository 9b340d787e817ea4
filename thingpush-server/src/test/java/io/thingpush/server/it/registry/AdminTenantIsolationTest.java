package io.thingpush.server.it.registry;

import static io.thingpush.server.it.AdminClient.ok;
import static io.thingpush.server.it.AdminClient.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tenant admin manages its own tenant and nothing else (SPEC §5): every route of another
 * tenant is refused the same way whether that tenant exists or not, and another tenant's ids
 * named inside its own tenant are "not found".
 */
class AdminTenantIsolationTest {
  @RegisterExtension static final TestServer server = TestServer.forClassOnPostgres();
  private static AdminClient acme;
  private static AdminClient platform;

  @BeforeAll
  static void start() {
    acme = new AdminClient(server, server.token("coyote").tenant("acme").admin().sign());
    platform = new AdminClient(server, server.tokenOf(TestServer.PLATFORM_ADMIN));
  }

  @Test
  void everyRouteOfAnotherTenantIsForbidden() {
    for (String tenant : List.of("default", "no-such-tenant")) {
      String t = "/tenants/" + tenant;
      List<TestServer.HttpResult> answers =
          List.of(
              acme.get(t),
              acme.get(t + "/projects"),
              acme.post(t + "/projects", "{'id':'p-evil','name':'Evil'}"),
              acme.get(t + "/projects/p1"),
              acme.put(t + "/projects/p1", "{'name':'Mine now'}"),
              acme.delete(t + "/projects/p1"),
              acme.get(t + "/projects/p1/areas"),
              acme.post(t + "/projects/p1/areas", "{'id':'a-evil','name':'Evil'}"),
              acme.get(t + "/projects/p1/areas/a1"),
              acme.put(t + "/projects/p1/areas/a11", "{'name':'Moved','parentID':'a2'}"),
              acme.delete(t + "/projects/p1/areas/a2"),
              acme.get(t + "/products"),
              acme.post(t + "/products", "{'id':'pr-evil','name':'Evil','thingModel':{}}"),
              acme.get(t + "/products/prodA"),
              acme.put(t + "/products/prodA", "{'name':'Mine','thingModel':{}}"),
              acme.delete(t + "/products/prodA"),
              acme.get(t + "/devices"),
              acme.post(
                  t + "/devices", "{'productID':'prodA','deviceName':'evil','projectID':'p1'}"),
              acme.get(t + "/devices/prodA/d1"),
              acme.put(t + "/devices/prodA/d1", "{'projectID':'p2'}"),
              acme.delete(t + "/devices/prodA/d1"),
              acme.post(t + "/devices/prodA/d1/secret", "{}"),
              acme.get(t + "/grants"),
              acme.post(t + "/grants", "{'userID':'coyote','projectID':'p1'}"),
              acme.delete(t + "/grants?userID=alice&projectID=p1"),
              acme.get(t + "/export"),
              acme.get("/tenants"),
              acme.get("/export"),
              acme.post("/import", "{}"));
      for (TestServer.HttpResult r : answers) {
        JsonNode refusal = refused(r, 403, 100012);
        assertThat(refusal.toString()).doesNotContain("Default", "d1", "prodA\"");
      }
    }
    // Nothing of tenant default changed.
    assertThat(ok(platform.get("/tenants/default/devices?projectID=p1"), 200).path("total").asInt())
        .isEqualTo(4);
    assertThat(ok(platform.get("/tenants/default/projects/p1"), 200).path("name").asText())
        .isEqualTo("Plant");
    assertThat(ok(platform.get("/tenants/default/grants?userID=alice"), 200).path("total").asInt())
        .isEqualTo(3);
  }

  @Test
  void anotherTenantsIdsAreNotFoundInsideOnesOwn() {
    refused(acme.get("/tenants/acme/projects/p1"), 404, 100009);
    refused(acme.get("/tenants/acme/projects/p1/areas"), 404, 100009);
    refused(acme.get("/tenants/acme/projects/px/areas/a1"), 404, 100009);
    refused(acme.get("/tenants/acme/products/prodA"), 404, 100009);
    refused(acme.get("/tenants/acme/devices/prodA/d1"), 404, 100009);
    refused(acme.put("/tenants/acme/devices/prodX/x1", "{'projectID':'p1'}"), 404, 100009);
    refused(
        acme.put("/tenants/acme/devices/prodX/x1", "{'projectID':'px','areaID':'a1'}"),
        404,
        100009);
    refused(
        acme.post(
            "/tenants/acme/devices", "{'productID':'prodA','deviceName':'mine','projectID':'px'}"),
        404,
        100009);
    refused(acme.post("/tenants/acme/grants", "{'userID':'coyote','projectID':'p1'}"), 404, 100009);
    refused(
        acme.put("/tenants/acme/projects/px/areas/ax1", "{'name':'Hall','parentID':'a1'}"),
        404,
        100009);
    refused(acme.delete("/tenants/acme/grants?userID=alice&projectID=p1"), 404, 100009);

    assertThat(ok(acme.get("/tenants/acme/devices"), 200).path("total").asInt()).isEqualTo(1);
    assertThat(ok(acme.get("/tenants/acme/projects"), 200).path("total").asInt()).isEqualTo(1);
    assertThat(ok(acme.get("/tenants/acme/grants"), 200).path("total").asInt()).isEqualTo(2);
  }

  @Test
  void aTenantExportHoldsOnlyThatTenant() {
    TestServer.HttpResult r = acme.get("/tenants/acme/export");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("tenants").toString())
        .isEqualTo("[{\"code\":\"acme\",\"name\":\"Acme\"}]");
    assertThat(r.body())
        .contains("prodX", "x1", "px", "ax1", "wile")
        .doesNotContain("\"default\"", "prodA", "\"p1\"", "alice");
  }
}
