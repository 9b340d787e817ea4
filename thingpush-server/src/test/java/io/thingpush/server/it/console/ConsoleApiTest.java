package io.thingpush.server.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.server.it.TestServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's page and its read-only registry view: what each user may read, and nothing else. */
class ConsoleApiTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  private static TestServer.HttpResult get(String path, String authorization) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(server.httpBase().resolve(path)).timeout(TestServer.WAIT).GET();
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    return TestServer.send(req.build());
  }

  private static JsonNode registryOf(String token) {
    TestServer.HttpResult r = get("/api/v1/console/registry", "Bearer " + token);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().path("code").asInt()).isEqualTo(200);
    return r.json().get("data");
  }

  private static List<String> field(JsonNode items, String... names) {
    List<String> values = new ArrayList<>();
    for (JsonNode item : items) {
      StringBuilder v = new StringBuilder();
      for (String n : names) {
        v.append(v.length() == 0 ? "" : "/").append(item.path(n).asText());
      }
      values.add(v.toString());
    }
    return values;
  }

  @Test
  void aProjectGrantShowsItsProjectsAreasDevicesAndPropertiesButNoSecret() {
    JsonNode alice = registryOf(server.tokenOf("alice"));

    assertThat(alice.path("userID").asText()).isEqualTo("alice");
    assertThat(field(alice.get("projects"), "projectID")).containsExactly("p1", "p2", "pm");
    assertThat(field(alice.get("devices"), "productID", "deviceName"))
        .contains("prodA/d1", "prodA/e1", "prodA/mdev2")
        .doesNotContain("prodX/x1");
    assertThat(field(alice.get("areas"), "areaID", "parentID"))
        .contains("a1/null", "a11/a1", "a111/a11", "b1/null");
    assertThat(field(alice.get("products"), "productID")).containsExactly("prodA");
    assertThat(field(alice.get("products").get(0).get("properties"), "identifier", "type"))
        .containsExactly("temp/float", "hum/int", "power/bool", "label/string");
    assertThat(field(alice.get("products").get(0).get("actions"), "identifier"))
        .containsExactly("reboot");
    assertThat(field(alice.get("projects"), "projectID", "wholeProject"))
        .containsExactly("p1/true", "p2/true", "pm/true");
    assertThat(alice.path("platformAdmin").asBoolean()).isFalse();
    assertThat(alice.toString()).doesNotContain("secret");
  }

  @Test
  void anAreaGrantShowsThatSubtreeOnlyWithTheGrantedAreaAsRoot() {
    JsonNode bob = registryOf(server.tokenOf("bob"));

    assertThat(field(bob.get("projects"), "projectID", "wholeProject")).containsExactly("p1/false");
    assertThat(field(bob.get("areas"), "areaID", "parentID"))
        .containsExactlyInAnyOrder("a1/null", "a11/a1", "a111/a11", "a12/a1");
    assertThat(field(bob.get("devices"), "deviceName")).containsExactlyInAnyOrder("d1", "d2");
  }

  @Test
  void aSharedDeviceShowsWithItsProjectButNotItsArea() {
    JsonNode shared = registryOf(server.login("1790000000000000003").sign());

    assertThat(field(shared.get("projects"), "projectID")).containsExactly("p1");
    assertThat(field(shared.get("devices"), "deviceName", "shared")).containsExactly("d3/true");
    assertThat(shared.get("areas")).isEmpty();
    assertThat(shared.has("users")).as("users are for admins").isFalse();
    assertThat(field(registryOf(server.tokenOf("alice")).get("devices"), "deviceName", "shared"))
        .contains("d3/false");
  }

  @Test
  void anAdminSeesTheTenantsRegistryUsers() {
    JsonNode admin = registryOf(server.login("1790000000000000009").sign());

    assertThat(field(admin.get("users"), "userID", "isAdmin"))
        .containsExactly(
            "1790000000000000001/false", "1790000000000000003/false", "1790000000000000009/true");
  }

  @Test
  void tenantsAreSealedAndAUserWithoutGrantsSeesNothing() {
    JsonNode wile = registryOf(server.token("wile").tenant("acme").sign());
    assertThat(field(wile.get("projects"), "projectID")).containsExactly("px");
    assertThat(field(wile.get("devices"), "productID", "deviceName")).containsExactly("prodX/x1");
    assertThat(field(wile.get("products"), "productID")).containsExactly("prodX");

    JsonNode admin = registryOf(server.token("root").admin().sign());
    assertThat(field(admin.get("projects"), "projectID")).containsExactly("p1", "p2", "pm");
    assertThat(admin.path("platformAdmin").asBoolean()).as("a tenant admin").isFalse();
    assertThat(
            registryOf(server.tokenOf(TestServer.PLATFORM_ADMIN)).path("platformAdmin").asBoolean())
        .isTrue();

    JsonNode nobody = registryOf(server.tokenOf("nobody"));
    assertThat(nobody.get("projects")).isEmpty();
    assertThat(nobody.get("devices")).isEmpty();
  }

  @Test
  void withoutAValidTokenTheAnswerIs401WithTheTokenCode() {
    assertThat(get("/api/v1/console/registry", null).status()).isEqualTo(401);
    assertThat(get("/api/v1/console/registry", null).json().path("code").asInt()).isEqualTo(100005);
    assertThat(get("/api/v1/console/registry", "Bearer not-a-jwt").json().path("code").asInt())
        .isEqualTo(100004);
    String expired =
        server.token("alice").expiresAt(Instant.now().minus(Duration.ofMinutes(1))).sign();
    TestServer.HttpResult r = get("/api/v1/console/registry", "Bearer " + expired);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("code").asInt()).isEqualTo(100002);
    String forged =
        server.token("alice").signedWith("another-secret-another-secret-0123456789").sign();
    assertThat(get("/api/v1/console/registry", "Bearer " + forged).json().path("code").asInt())
        .isEqualTo(100005);
  }

  @Test
  void thePageItsClientItsChartLibraryAndTheWebSocketAddressAreServed() {
    assertThat(get("/console", null).status()).isEqualTo(302); // to /console/
    TestServer.HttpResult bare = get("/console/", null);
    assertThat(bare.status()).isEqualTo(200);
    assertThat(bare.body())
        .contains("<title>ThingPush console</title>")
        .doesNotContain("${uplot.version}");
    String chart = bare.body().replaceAll("(?s).*src=\"(vendor/uplot/[^\"]+)\".*", "$1");
    assertThat(get("/console/" + chart, null).status()).isEqualTo(200);
    TestServer.HttpResult client = get("/console/thingpush.js", null);
    assertThat(client.status()).isEqualTo(200);
    assertThat(client.body()).contains("export class ThingPushClient");

    JsonNode config = get("/api/v1/console/config", null).json();
    assertThat(config.path("wsPort").asInt()).isEqualTo(server.wsBase().getPort());
    assertThat(config.path("wsPath").asText()).isEqualTo("/api/v1/system/common/websocket/connect");
  }
}
