package io.thingpush.server.it.observe;

import static io.thingpush.server.it.AdminClient.ok;
import static io.thingpush.server.it.AdminClient.refused;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.join;
import static io.thingpush.server.it.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.Connection;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.Jsons;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's view of a node through the admin API (docs/admin-api.md): its status from its
 * own metrics, its connections searchable by user or connectID, and closing one with a chosen
 * code and reason. Platform admins only.
 */
class OperatorApiTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();
  private final AdminClient operator =
      new AdminClient(server, server.tokenOf(TestServer.PLATFORM_ADMIN));

  private static List<String> connectIds(JsonNode data) {
    List<String> ids = new ArrayList<>();
    data.path("items").forEach(c -> ids.add(c.path("connectID").asText()));
    return ids;
  }

  @Test
  void onlyAPlatformAdminMayLook() {
    AdminClient tenantAdmin = new AdminClient(server, server.token("root").admin().sign());
    refused(tenantAdmin.get("/nodes"), 403, 100012);
    refused(tenantAdmin.get("/connections"), 403, 100012);
    refused(tenantAdmin.post("/connections/1/close", "{'code':4009}"), 403, 100012);
    refused(server.http("GET", AdminClient.BASE + "/nodes", null, null), 401, 100005);
  }

  @Test
  void theNodeTellsItsConnectionsPerTenantItsEventRatesAndItsPushLatency() {
    Connection alice = server.connectAs("alice");
    join(alice.subscribe("devicePropertyReport", params("projectID", "p1")));
    server.connect(server.options().token(server.token("wile").tenant("acme").sign()).build());
    for (int i = 0; i < 20; i++) {
      server.publish(
          "devicePropertyReport", "prodA", "d1", "{\"identifier\":\"temp\",\"param\":" + i + "}");
    }
    Waits.pushes(alice, 20);

    JsonNode node = ok(operator.get("/nodes"), 200).path("nodes").get(0);

    assertThat(node.path("node").asText()).isEqualTo("local");
    assertThat(node.path("connections").asInt()).isEqualTo(2);
    assertThat(node.path("connectionsByTenant").toString()).isEqualTo("{\"acme\":1,\"default\":1}");
    assertThat(node.path("subscriptions").asLong()).isEqualTo(1);
    assertThat(node.path("eventsInPerSecond").asDouble()).isPositive();
    assertThat(node.path("eventsOutPerSecond").asDouble()).isPositive();
    assertThat(node.path("pushLatencyP99Ms").asDouble()).isPositive();
    assertThat(node.path("droppedFrames").isIntegralNumber()).isTrue();
    assertThat(node.path("slowClientCloses").isIntegralNumber()).isTrue();
    assertThat(node.path("startedAt").asLong()).isLessThanOrEqualTo(System.currentTimeMillis());
  }

  @Test
  void connectionsAreListedNewestFirstWithWhatTheyHoldAndFoundByUserOrConnectId() {
    Connection alice = server.connectAs("alice");
    join(alice.subscribe("deviceConn", params("projectID", "p1")));
    Connection bob = server.connectAs("bob");

    JsonNode all = ok(operator.get("/connections"), 200);
    assertThat(connectIds(all)).containsExactly(bob.connectID(), alice.connectID());
    assertThat(all.path("total").asInt()).isEqualTo(2);
    JsonNode first = all.path("items").get(1);
    Jsons.assertJson(
        first,
        "{'connectID':'"
            + alice.connectID()
            + "','tenantCode':'default','userID':'alice',"
            + "'appCode':'"
            + TestServer.APP
            + "','projectID':null,'openedAt':'*',"
            + "'subscriptions':[{'code':'deviceConn','params':{'projectID':'p1'}}],'queuedFrames':0,'node':'local'}");

    assertThat(connectIds(ok(operator.get("/connections?q=ALI"), 200)))
        .containsExactly(alice.connectID());
    assertThat(connectIds(ok(operator.get("/connections?q=" + bob.connectID()), 200)))
        .containsExactly(bob.connectID());
    JsonNode limited = ok(operator.get("/connections?limit=1"), 200);
    assertThat(connectIds(limited)).containsExactly(bob.connectID());
    assertThat(limited.path("total").asInt()).isEqualTo(2);
  }

  @Test
  void anOperatorClosesOneConnectionWithTheCodeAndReasonChosen() {
    Connection alice = server.connectAs("alice");
    Connection bob = server.connectAs("bob");

    ok(
        operator.post(
            "/connections/" + alice.connectID() + "/close",
            "{'code':4003,'reason':'banned for a while'}"),
        200);

    CloseStatus closed = join(alice.closed());
    assertThat(closed.code()).isEqualTo(4003);
    assertThat(closed.reason()).isEqualTo("banned for a while");
    assertThat(bob.isOpen()).isTrue();
    await()
        .until(
            () ->
                connectIds(ok(operator.get("/connections"), 200)).equals(List.of(bob.connectID())));

    ok(operator.post("/connections/" + bob.connectID() + "/close", "{'code':4009}"), 200);
    assertThat(join(bob.closed()).reason()).isEqualTo("closed by an operator");
  }

  @Test
  void aCloseOfNoOpenConnectionOrWithACodeAnOperatorMayNotChooseIsRefused() {
    Connection alice = server.connectAs("alice");
    String close = "/connections/" + alice.connectID() + "/close";

    refused(operator.post("/connections/999/close", "{'code':4009}"), 404, 100009);
    refused(operator.post(close, "{'code':4008}"), 400, 100006);
    refused(operator.post(close, "{'code':1000}"), 400, 100006);
    refused(operator.post(close, "{}"), 400, 100006);
    refused(operator.post(close, "{'code':4009,'reason':'" + "x".repeat(124) + "'}"), 400, 100006);
    refused(operator.post(close, "{'code':4009,'reason':'caf\u00e9'}"), 400, 100006);
    assertThat(alice.isOpen()).isTrue();
  }
}
