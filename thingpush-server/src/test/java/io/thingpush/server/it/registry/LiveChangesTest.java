package io.thingpush.server.it.registry;

import static io.thingpush.client.testkit.TestConnections.awaitPush;
import static io.thingpush.client.testkit.TestConnections.framesSoFar;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.AdminClient.ok;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.Jsons;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import io.thingpush.server.registry.Registry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §9 live changes, seen by connected clients: a device or area that moves is pushed to its
 * new place from the next event on; a subscription the user may no longer hold ends with a
 * {@code down.unSubRet} carrying 100012 and the subscription as it was sent. Registry on the
 * real PostgreSQL; a fresh server per test.
 */
class LiveChangesTest {
  @RegisterExtension final TestServer server = TestServer.forEachTestOnPostgres();
  private AdminClient admin;

  @BeforeEach
  void start() {
    admin = new AdminClient(server, server.token("boss").admin().sign());
  }

  /** d2 sits in a12 under a1; it moves to a2. */
  @Test
  void aMovedDeviceIsPushedToItsNewAreaFromTheNextEvent() {
    Connection hall = subscribed("alice", "deviceConn", params("projectID", "p1", "areaID", "a1"));
    Connection office =
        subscribed("alice", "deviceConn", params("projectID", "p1", "areaID", "a2"));
    long before = conn("d2");
    assertThat(awaitPush(hall, WAIT).path("seq").asLong()).isEqualTo(before);

    ok(admin.put("/tenants/default/devices/prodA/d2", "{'projectID':'p1','areaID':'a2'}"), 200);
    long after = conn("d2");

    assertThat(awaitPush(office, WAIT).path("seq").asLong()).isEqualTo(after);
    long marker = conn("d1");
    assertThat(Waits.pushes(hall, 2).get(1).path("seq").asLong())
        .as("d2 no longer reaches a1")
        .isEqualTo(marker);
  }

  @Test
  void aDeviceMovedToAnotherProjectIsPushedThere() {
    Connection depot = subscribed("alice", "devicePropertyReport", params("projectID", "p2"));

    ok(admin.put("/tenants/default/devices/prodA/d4", "{'projectID':'p2','areaID':'b1'}"), 200);
    long seq =
        server.publish(
            "devicePropertyReport", "prodA", "d4", "{\"identifier\":\"temp\",\"param\":21.5}");

    JsonNode push = awaitPush(depot, WAIT);
    assertThat(push.path("seq").asLong()).isEqualTo(seq);
    assertThat(push.path("body").path("device").path("deviceName").asText()).isEqualTo("d4");
  }

  /** a11 (with a111 and its device d1) moves from a1 to a2. */
  @Test
  void aMovedAreaTakesItsSubtreeAlong() {
    Connection office =
        subscribed("alice", "deviceConn", params("projectID", "p1", "areaID", "a2"));

    ok(
        admin.put("/tenants/default/projects/p1/areas/a11", "{'name':'Line 1','parentID':'a2'}"),
        200);
    long seq = conn("d1");

    assertThat(awaitPush(office, WAIT).path("seq").asLong()).isEqualTo(seq);
  }

  @Test
  void aDeletedDeviceEndsTheSubscriptionsToIt() {
    Connection bob =
        subscribed("bob", "deviceConn", params("productID", "prodA", "deviceName", "d2"));
    assertJson(
        join(
            bob.subscribe(
                "devicePropertyReport",
                params("productID", "prodA", "deviceName", "d2", "identifier", "temp"))),
        OK_SUB);
    assertJson(
        join(bob.subscribe("deviceConn", params("projectID", "p1", "areaID", "a1"))), OK_SUB);

    ok(admin.delete("/tenants/default/devices/prodA/d2"), 200);

    List<JsonNode> ended = ended(bob, 2);
    assertJson(
        ended.get(0),
        "{'code':100012,'msg':'权限不足: subscription ended','type':'down.unSubRet',"
            + "'body':{'code':'deviceConn','params':{'productID':'prodA','deviceName':'d2'}}}");
    assertJson(
        ended.get(1),
        "{'code':100012,'msg':'权限不足: subscription ended','type':'down.unSubRet',"
            + "'body':{'code':'devicePropertyReport','params':{'productID':'prodA','deviceName':'d2','identifier':'temp'}}}");
    long marker = conn("d1");
    assertThat(awaitPush(bob, WAIT).path("seq").asLong())
        .as("the area subscription stays")
        .isEqualTo(marker);
    assertThat(ended(bob, 2)).hasSize(2);
  }

  @Test
  void aRevokedGrantEndsWhatItCoveredWithTheParamsAsSent() {
    Connection carol =
        server.connect(server.options("carol").projectId("p1").acceptLanguage("en-US").build());
    server.accepted(carol);
    assertJson(
        join(carol.subscribe("deviceConn", params("areaID", "a111"))),
        "{'code':200,'msg':'success'," + "'type':'down.subRet','handler':'*','seq':'*'}");
    join(carol.subscribe("devicePublish", params("productID", "prodA", "deviceName", "d1")));

    ok(admin.delete("/tenants/default/grants?userID=carol&projectID=p1&areaID=a11"), 200);

    List<JsonNode> ended = ended(carol, 2);
    assertJson(
        ended.get(0),
        "{'code':100012,'msg':'insufficient privileges: subscription ended',"
            + "'type':'down.unSubRet','body':{'code':'deviceConn','params':{'areaID':'a111'}}}");
    assertThat(ended.get(1).path("body").path("code").asText()).isEqualTo("devicePublish");
    conn("d1");
    server.publish(
        "devicePublish",
        "prodA",
        "d1",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"c\"}");
    // Pushes of those events were queued on carol's connection before the answer to this ping.
    join(carol.ping(Jsons.json("{'after':'events'}")));
    assertThat(pushesSoFar(carol)).as("nothing after the revocation").isEmpty();
  }

  @Test
  void aGrantRevokedWhileAnotherStillCoversKeepsTheSubscription() {
    ok(
        admin.post("/tenants/default/grants", "{'userID':'alice','projectID':'p1','areaID':'a1'}"),
        201);
    Connection alice = subscribed("alice", "deviceConn", params("projectID", "p1", "areaID", "a1"));

    ok(admin.delete("/tenants/default/grants?userID=alice&projectID=p1&areaID=a1"), 200);
    long seq = conn("d2");

    assertThat(awaitPush(alice, WAIT).path("seq").asLong()).isEqualTo(seq);
    assertThat(ended(alice, 0)).isEmpty();
  }

  /** bob reads a1; a11 leaves a1, so bob may no longer watch it. */
  @Test
  void anAreaMovedOutOfReachEndsTheSubscriptionsToIt() {
    Connection bob = subscribed("bob", "deviceConn", params("projectID", "p1", "areaID", "a11"));
    assertJson(
        join(bob.subscribe("deviceConn", params("projectID", "p1", "areaID", "a12"))), OK_SUB);

    ok(
        admin.put("/tenants/default/projects/p1/areas/a11", "{'name':'Line 1','parentID':'a2'}"),
        200);

    assertThat(ended(bob, 1).get(0).path("body").path("params"))
        .isEqualTo(Jsons.json("{'projectID':'p1','areaID':'a11'}"));
    long seq = conn("d2");
    assertThat(awaitPush(bob, WAIT).path("seq").asLong()).isEqualTo(seq);
  }

  /** Another node wrote the registry; this node is told and reloads (the cluster's hook). */
  @Test
  void aChangeWrittenElsewhereTakesEffectOnReload() {
    Connection office =
        subscribed("alice", "deviceConn", params("projectID", "p1", "areaID", "a2"));
    Connection erin = subscribed("erin", "deviceConn", params("projectID", "p2"));
    Map<String, Object> db = server.registryConfig();
    try (Registry elsewhere =
        Registry.open(
            (String) db.get("jdbcUrl"),
            (String) db.get("username"),
            (String) db.get("password"),
            1,
            Duration.ofSeconds(10))) {
      elsewhere.importJson(
          new ByteArrayInputStream(
              "{\"devices\":[{\"productID\":\"prodA\",\"deviceName\":\"e1\",\"secret\":\"s\",\"projectID\":\"p1\",\"areaID\":\"a2\"}]}"
                  .getBytes(StandardCharsets.UTF_8)));
      elsewhere.write(
          "default",
          c -> {
            try (var s = c.prepareStatement("DELETE FROM user_grant WHERE user_id = 'erin'")) {
              return s.executeUpdate();
            }
          });
    }
    long stale = conn("e1");
    assertThat(awaitPush(erin, WAIT).path("seq").asLong()).as("not reloaded yet").isEqualTo(stale);

    server.node().registryChanged();

    assertThat(ended(erin, 1).get(0).path("body").path("params"))
        .isEqualTo(Jsons.json("{'projectID':'p2'}"));
    long seq = conn("e1");
    assertThat(awaitPush(office, WAIT).path("seq").asLong()).isEqualTo(seq);
  }

  private Connection subscribed(String user, String code, Map<String, ?> params) {
    Connection c = server.connectAs(user);
    assertJson(join(c.subscribe(code, params)), OK_SUB);
    return c;
  }

  private long conn(String device) {
    return server.publish("deviceConn", "prodA", device, "{\"status\":1}");
  }

  /** Waits for {@code n} subscriptions ended by the server and returns all so far, by code. */
  private static List<JsonNode> ended(Connection c, int n) {
    Waits.await().until(() -> endings(c).size() >= n);
    return endings(c);
  }

  private static List<JsonNode> endings(Connection c) {
    return framesSoFar(c).stream()
        .filter(
            f ->
                "down.unSubRet".equals(f.path("type").asText()) && f.path("code").asInt() == 100012)
        .sorted(java.util.Comparator.comparing(f -> f.path("body").path("code").asText()))
        .toList();
  }
}
