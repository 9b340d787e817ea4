package io.thingpush.server.it.nats;

import static io.thingpush.client.testkit.TestConnections.awaitFrame;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several nodes on one NATS (SPEC §7): an event ingested on any node reaches every matching
 * connection on every node exactly once and in seq order, and a node receives only what its
 * connections watch. Each test uses its own stream name on a nats-server the test started.
 */
class ClusterTest {
  // Events cross NATS and three nodes share two busy cores in the suite: wait generously.
  private static final java.time.Duration CLUSTER_WAIT = java.time.Duration.ofSeconds(30);

  static final String PROP = "devicePropertyReport";
  private static NatsTestServer nats;
  private final List<TestServer> nodes = new ArrayList<>();
  private final String name = "t" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void startNats() {
    nats = NatsTestServer.start();
  }

  @AfterAll
  static void stopNats() {
    nats.close();
  }

  @AfterEach
  void stopNodes() {
    nodes.forEach(TestServer::close);
  }

  /** A node of this test's cluster. */
  TestServer node() {
    return node(c -> {});
  }

  TestServer node(Consumer<Map<String, Map<String, Object>>> tweak) {
    TestServer node =
        TestServer.start(
            c -> {
              c.put(
                  "cluster",
                  new java.util.LinkedHashMap<>(
                      Map.of(
                          "natsUrl",
                          nats.url(),
                          "name",
                          name,
                          "interestCloseDelayMs",
                          100,
                          "leaseMs",
                          1500)));
              tweak.accept(c);
            });
    nodes.add(node);
    return node;
  }

  static String temp(int i) {
    return "{\"identifier\":\"temp\",\"param\":" + (i % 100) + "}";
  }

  /** The seqs of the pushes a connection received, in arrival order. */
  static List<Long> seqs(Connection c) {
    return pushesSoFar(c).stream().map(p -> p.path("seq").asLong()).toList();
  }

  static void subscribe(Connection c, String code, Map<String, ?> params) {
    JsonNode ret = TestServer.join(c.subscribe(code, params));
    assertThat(ret.path("code").asInt()).as("subRet %s", ret).isEqualTo(200);
  }

  static long metric(TestServer node, String name) {
    String text = node.get("/metrics").body();
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(text);
    assertThat(m.find()).as("metric %s", name).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  @Test
  void eventsIngestedOnSeveralNodesReachEveryMatchingConnectionOnceInSeqOrder() throws Exception {
    TestServer a = node();
    TestServer b = node();
    TestServer c = node();
    Connection onB = b.connectAs("alice");
    subscribe(onB, PROP, Map.of("productID", "prodA", "deviceName", "d1"));
    subscribe(onB, PROP, Map.of("projectID", "p1"));
    Connection onC = c.connectAs("alice");
    subscribe(onC, PROP, Map.of("projectID", "p1", "areaID", "a1"));
    Connection onA = a.connectAs("alice");
    subscribe(onA, PROP, Map.of("productID", "prodA", "deviceName", "d2", "identifier", "temp"));

    ConcurrentLinkedQueue<Long> d1 = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> d2 = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> d3 = new ConcurrentLinkedQueue<>();
    Thread fromA =
        new Thread(
            () -> {
              for (int i = 0; i < 60; i++) {
                d1.add(a.publish(PROP, "prodA", "d1", temp(i)));
              }
            });
    Thread fromC =
        new Thread(
            () -> {
              for (int i = 0; i < 60; i++) {
                d2.add(c.publish(PROP, "prodA", "d2", temp(i)));
                d3.add(c.publish(PROP, "prodA", "d3", temp(i)));
              }
            });
    fromA.start();
    fromC.start();
    fromA.join(30_000);
    fromC.join(30_000);

    List<Long> all = sorted(d1, d2, d3);
    List<Long> inHall = sorted(d1, d2);
    await()
        .atMost(CLUSTER_WAIT)
        .until(
            () ->
                pushesSoFar(onB).size() >= all.size()
                    && pushesSoFar(onC).size() >= inHall.size()
                    && pushesSoFar(onA).size() >= d2.size());
    assertThat(seqs(onB))
        .as("device + project on B, each event once")
        .containsExactlyElementsOf(all);
    assertThat(seqs(onC)).as("area a1 with sub-areas on C").containsExactlyElementsOf(inHall);
    assertThat(seqs(onA)).as("one property on A").containsExactlyElementsOf(sorted(d2));
    assertThat(List.of(onA.connectID(), onB.connectID(), onC.connectID())).doesNotHaveDuplicates();
  }

  @Test
  void aNodeReceivesOnlyTheEventsItsConnectionsWatch() {
    TestServer a = node();
    TestServer b = node();
    Connection onB = b.connectAs("alice");
    subscribe(onB, PROP, Map.of("productID", "prodA", "deviceName", "d1", "identifier", "temp"));
    Connection barrier = b.connectAs("alice");
    subscribe(barrier, "deviceConn", Map.of("productID", "prodA", "deviceName", "d3"));

    for (int i = 0; i < 10; i++) {
      a.publish(PROP, "prodA", "d1", temp(i));
      a.publish(PROP, "prodA", "d2", temp(i));
      a.publish("deviceConn", "prodA", "d1", "{\"status\":1}");
    }
    a.publish("deviceConn", "prodA", "d3", "{\"status\":1}");
    Waits.pushes(barrier, 1);

    assertThat(pushesSoFar(onB)).hasSize(10);
    assertThat(metric(b, "thingpush_cluster_events_received_total"))
        .as("d1 reports and the d3 barrier only")
        .isEqualTo(11);

    TestServer.join(
        onB.unsubscribe(
            PROP, Map.of("productID", "prodA", "deviceName", "d1", "identifier", "temp")));
    await().atMost(CLUSTER_WAIT).until(() -> metric(b, "thingpush_cluster_keys") == 1);
    for (int i = 0; i < 5; i++) {
      a.publish(PROP, "prodA", "d1", temp(i));
    }
    a.publish("deviceConn", "prodA", "d3", "{\"status\":2}");
    Waits.pushes(barrier, 2);
    assertThat(metric(b, "thingpush_cluster_events_received_total"))
        .as("no interest left in d1")
        .isEqualTo(12);
  }

  @Test
  void resumingOnAnotherNodeWithSinceWhilePublishingContinuesLosesNothingAndRepeatsNothing()
      throws Exception {
    TestServer a = node();
    TestServer b = node();
    TestServer c = node();
    Map<String, String> d1 = Map.of("productID", "prodA", "deviceName", "d1");
    Connection first = a.connectAs("alice");
    subscribe(first, PROP, d1);
    ConcurrentLinkedQueue<Long> published = new ConcurrentLinkedQueue<>();
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 0; i < 200; i++) {
                published.add((i % 2 == 0 ? b : c).publish(PROP, "prodA", "d1", temp(i)));
              }
            });
    publisher.start();
    Waits.pushes(first, 20);
    first.close();
    List<Long> before = seqs(first);

    Connection resumed = b.connectAs("alice");
    JsonNode ret =
        TestServer.join(
            resumed.subscribe(
                Json.parseOrNull(
                    "{\"code\":\""
                        + PROP
                        + "\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"since\":"
                        + before.get(before.size() - 1)
                        + "}")));
    assertThat(ret.path("recovered").asBoolean()).as("%s", ret).isTrue();
    publisher.join(60_000);

    List<Long> all = sorted(published);
    await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> before.size() + pushesSoFar(resumed).size() >= all.size());
    List<Long> together = new ArrayList<>(before);
    together.addAll(seqs(resumed));
    assertThat(together).containsExactlyElementsOf(all);
  }

  /**
   * The reply's {@code seq} on a cluster node is the stream's last sequence read once NATS
   * confirmed the node's interest: a connection that had no push resumes on another node with
   * {@code since} = it and gets exactly what was published meanwhile; connections subscribing on
   * one node while another publishes each get exactly the events above their reply's seq.
   */
  @Test
  void theReplysSeqOnANodeIsWhereTheSubscriptionStandsAcrossTheCluster() throws Exception {
    TestServer a = node();
    TestServer b = node();
    Map<String, String> d1 = Map.of("productID", "prodA", "deviceName", "d1");
    long before = a.publish(PROP, "prodA", "d1", temp(0));
    Connection quiet = b.connectAs("alice");
    JsonNode ret = TestServer.join(quiet.subscribe(PROP, d1));
    assertThat(ret.path("seq").asLong())
        .as("%s: the stream's last sequence", ret)
        .isEqualTo(before);
    quiet.close();
    List<Long> missed = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      a.publish(PROP, "prodA", "d2", temp(i));
      missed.add(a.publish(PROP, "prodA", "d1", temp(i)));
    }
    Connection resumed = a.connectAs("alice");
    JsonNode again =
        TestServer.join(
            resumed.subscribe(
                Json.parseOrNull(
                    "{\"code\":\""
                        + PROP
                        + "\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"since\":"
                        + before
                        + "}")));
    assertThat(again.path("recovered").asBoolean()).as("%s", again).isTrue();

    ConcurrentSkipListSet<Long> published = new ConcurrentSkipListSet<>();
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 0; i < 150; i++) {
                published.add(a.publish(PROP, "prodA", "d1", temp(i)));
              }
            });
    publisher.start();
    List<Connection> connections = new ArrayList<>();
    List<Long> seams = new ArrayList<>();
    for (int at : List.of(10, 50, 90)) {
      await().atMost(CLUSTER_WAIT).until(() -> published.size() >= at || !publisher.isAlive());
      Connection c = b.connectAs("alice");
      seams.add(TestServer.join(c.subscribe(PROP, d1)).path("seq").asLong());
      connections.add(c);
    }
    publisher.join(60_000);
    long last = a.publish(PROP, "prodA", "d1", temp(0));
    published.add(last);
    for (int i = 0; i < connections.size(); i++) {
      Connection c = connections.get(i);
      List<Long> expected = new ArrayList<>(published.tailSet(seams.get(i), false));
      await().atMost(CLUSTER_WAIT).until(() -> seqs(c).contains(last));
      assertThat(seqs(c))
          .as("connection %d answered seq %d", i, seams.get(i))
          .containsExactlyElementsOf(expected);
    }
    await().atMost(CLUSTER_WAIT).until(() -> seqs(resumed).contains(last));
    List<Long> sinceBefore = new ArrayList<>(missed);
    sinceBefore.addAll(published);
    assertThat(seqs(resumed))
        .as("resumed on the other node from the quiet one's seq")
        .isEqualTo(sinceBefore);
  }

  @Test
  void sinceBeyondWhatHistoryHoldsIsNotRecovered() {
    TestServer a =
        node(
            c ->
                c.put(
                    "history",
                    new java.util.LinkedHashMap<>(Map.of("maxEvents", 5, "maxAgeMs", 3_600_000))));
    List<Long> published = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      published.add(a.publish(PROP, "prodA", "d1", temp(i)));
    }
    Connection c = a.connectAs("alice");
    JsonNode ret =
        TestServer.join(
            c.subscribe(
                Json.parseOrNull(
                    "{\"code\":\""
                        + PROP
                        + "\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"since\":"
                        + (published.get(0) - 1)
                        + "}")));

    assertThat(ret.path("recovered").asBoolean()).as("%s", ret).isFalse();
    Waits.pushes(c, 5);
    assertThat(seqs(c)).containsExactlyElementsOf(published.subList(3, 8));
  }

  @Test
  void snapshotValuesAreSharedByTheNodes() {
    TestServer a = node();
    TestServer b = node();
    a.publish(PROP, "prodA", "d1", "{\"identifier\":\"temp\",\"param\":21.5}");
    long hum =
        a.publish(
            "devicePropertyReportV2", "prodA", "d1", "{\"params\":{\"hum\":40,\"temp\":22.5}}");
    Connection c = b.connectAs("alice");
    JsonNode ret =
        TestServer.join(
            c.subscribe(
                Json.parseOrNull(
                    "{\"code\":\""
                        + PROP
                        + "\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"snapshot\":true}")));
    assertThat(ret.path("code").asInt()).isEqualTo(200);

    List<JsonNode> pushes = Waits.pushes(c, 2);
    assertThat(pushes)
        .extracting(
            p ->
                p.path("body").path("identifier").asText()
                    + "="
                    + p.path("body").path("param").asText()
                    + "@"
                    + p.path("seq").asLong())
        .containsExactly("hum=40@" + hum, "temp=22.5@" + hum);
    long next = a.publish(PROP, "prodA", "d1", "{\"identifier\":\"temp\",\"param\":23}");
    assertThat(Waits.pushes(c, 3).get(2).path("seq").asLong()).isEqualTo(next);
  }

  /** SPEC §10: who is online and where each upgrade stands, published on one node, snapshot on the other. */
  @Test
  void connectionAndUpgradeStatesAreSharedByTheNodes() {
    TestServer a = node();
    TestServer b = node();
    a.publish("deviceConn", "prodA", "d1", "{\"status\":1}");
    long offline =
        a.publish("deviceConn", "prodA", "d1", "{\"status\":2,\"timestamp\":1700000000123}");
    long online = b.publish("deviceConn", "prodA", "d2", "{\"status\":1}");
    a.publish(
        "deviceOtaReport", "prodA", "d1", "{\"status\":4,\"step\":30,\"detail\":\"downloading\"}");
    long ota =
        b.publish(
            "deviceOtaReport", "prodA", "d1", "{\"status\":4,\"step\":60,\"detail\":\"flashing\"}");
    Connection c = b.connectAs("alice");

    JsonNode conn =
        TestServer.join(
            c.subscribe(
                Json.parseOrNull(
                    "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p1\"},\"snapshot\":true}")));
    List<JsonNode> states = Waits.pushes(c, 2);
    JsonNode upgrade =
        TestServer.join(
            c.subscribe(
                Json.parseOrNull(
                    "{\"code\":\"deviceOtaReport\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"snapshot\":true}")));
    List<JsonNode> progress = Waits.pushes(c, 3);

    assertThat(conn.path("code").asInt()).isEqualTo(200);
    assertThat(states)
        .extracting(
            p ->
                p.path("body").path("device").path("deviceName").asText()
                    + "="
                    + p.path("body").path("status").asInt()
                    + "@"
                    + p.path("seq").asLong())
        .containsExactlyInAnyOrder("d1=2@" + offline, "d2=1@" + online);
    assertThat(states)
        .filteredOn(p -> p.path("seq").asLong() == offline)
        .extracting(p -> p.path("body").path("timestamp").asText())
        .containsExactly("1700000000123");
    assertThat(upgrade.path("code").asInt()).isEqualTo(200);
    assertThat(progress.get(2).path("seq").asLong()).isEqualTo(ota);
    assertThat(progress.get(2).path("body").path("step").asInt()).isEqualTo(60);
    assertThat(progress.get(2).path("body").path("detail").asText()).isEqualTo("flashing");
    long next = a.publish("deviceConn", "prodA", "d2", "{\"status\":2}");
    assertThat(Waits.pushes(c, 4).get(3).path("seq").asLong()).isEqualTo(next);
  }

  @Test
  void connectionsPerUserAreCountedOverTheCluster() {
    Consumer<Map<String, Map<String, Object>>> two =
        c -> c.get("limits").put("connectionsPerUser", 2);
    TestServer a = node(two);
    TestServer b = node(two);
    Connection first = a.connectAs("erin");
    b.connectAs("erin");

    JsonNode refused =
        await()
            .atMost(CLUSTER_WAIT)
            .until(
                () -> {
                  Connection third = b.connect(b.options("erin").build());
                  if (third.accepted()) {
                    third.close();
                  }
                  return third.hello();
                },
                hello -> hello.path("code").asInt() == 100027);
    assertThat(refused.path("code").asInt()).isEqualTo(100027);

    first.close();
    await()
        .atMost(CLUSTER_WAIT)
        .until(
            () -> {
              Connection again = b.connect(b.options("erin").build());
              return again.accepted();
            });
  }

  @Test
  void aRegistryChangeOnOneNodeReachesTheOthers() throws Exception {
    String db = "jdbc:h2:mem:shared-" + name + ";DB_CLOSE_DELAY=-1";
    Consumer<Map<String, Map<String, Object>>> shared = c -> c.get("registry").put("jdbcUrl", db);
    TestServer a = node(shared);
    TestServer b = node(shared);
    java.nio.file.Path file = java.nio.file.Files.createTempFile("registry", ".json");
    java.nio.file.Files.writeString(
        file,
        "{\"devices\":[{\"productID\":\"prodA\",\"deviceName\":\"new1\","
            + "\"secret\":\"s\",\"projectID\":\"p1\",\"areaID\":\"a2\"}]}");
    assertThat(
            b.post(
                    TestServer.PUBLISH_PATH,
                    "Bearer " + TestServer.PLATFORM_KEY,
                    "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"prodA\",\"deviceName\":\"new1\"},\"payload\":{\"status\":1}}")
                .status())
        .isEqualTo(404);

    a.importRegistry(file);

    await()
        .atMost(CLUSTER_WAIT)
        .until(
            () ->
                b.post(
                            TestServer.PUBLISH_PATH,
                            "Bearer " + TestServer.PLATFORM_KEY,
                            "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"prodA\",\"deviceName\":\"new1\"},\"payload\":{\"status\":1}}")
                        .status()
                    == 200);
    java.nio.file.Files.deleteIfExists(file);
  }

  /** Admin writes on one node: the others end revoked subscriptions and place moved devices anew. */
  @Test
  void adminChangesOnOneNodeTakeEffectOnTheOthers() {
    String db = "jdbc:h2:mem:shared-" + name + ";DB_CLOSE_DELAY=-1";
    Consumer<Map<String, Map<String, Object>>> shared = c -> c.get("registry").put("jdbcUrl", db);
    TestServer a = node(shared);
    TestServer b = node(shared);
    AdminClient admin = new AdminClient(a, a.token("boss").admin().sign());
    Connection carol = b.connectAs("carol");
    subscribe(carol, "deviceConn", Map.of("projectID", "p1", "areaID", "a11"));
    Connection office = b.connectAs("alice");
    subscribe(office, "deviceConn", Map.of("projectID", "p1", "areaID", "a2"));

    AdminClient.ok(
        admin.delete("/tenants/default/grants?userID=carol&projectID=p1&areaID=a11"), 200);
    AdminClient.ok(
        admin.put("/tenants/default/devices/prodA/d2", "{'projectID':'p1','areaID':'a2'}"), 200);

    JsonNode ended = awaitFrame(carol, f -> f.path("code").asInt() == 100012, TestServer.WAIT);
    assertThat(ended.path("body").path("params"))
        .isEqualTo(Json.MAPPER.valueToTree(Map.of("projectID", "p1", "areaID", "a11")));
    await()
        .atMost(CLUSTER_WAIT)
        .until(
            () -> {
              long seq = b.publish("deviceConn", "prodA", "d2", "{\"status\":1}");
              return seqs(office).contains(seq);
            });
  }

  /**
   * A device shared through one node reaches a {shareDevice: true} subscription on another, which
   * opens its interest in that device on the bus; unshared, it stops there.
   */
  @Test
  void sharesChangedOnOneNodeRouteShareSubscriptionsOnAnother() {
    String db = "jdbc:h2:mem:shared-" + name + ";DB_CLOSE_DELAY=-1";
    Consumer<Map<String, Map<String, Object>>> shared = c -> c.get("registry").put("jdbcUrl", db);
    TestServer a = node(shared);
    TestServer b = node(shared);
    AdminClient admin = new AdminClient(a, a.token("boss").admin().sign());
    Connection dave = b.connectAs("dave");
    subscribe(dave, "deviceConn", Map.of("shareDevice", true));

    AdminClient.ok(
        admin.post(
            "/tenants/default/device-grants",
            "{'userID':'dave','productID':'prodA','deviceName':'e1'}"),
        201);

    await()
        .atMost(CLUSTER_WAIT)
        .until(
            () -> {
              long seq = a.publish("deviceConn", "prodA", "e1", "{\"status\":1}");
              return seqs(dave).contains(seq);
            });
    a.publish("deviceConn", "prodA", "d1", "{\"status\":1}");

    AdminClient.ok(
        admin.delete("/tenants/default/device-grants?userID=dave&productID=prodA&deviceName=e1"),
        200);
    AdminClient.ok(
        admin.post(
            "/tenants/default/device-grants",
            "{'userID':'dave','productID':'prodA','deviceName':'k01'}"),
        201);
    // Once k01 is pushed, b applied both changes (they reach it in order): from then on an event of
    // e1 is not pushed, which the k01 event published after it proves (both arrive in seq order).
    await()
        .atMost(CLUSTER_WAIT)
        .until(
            () -> {
              long seq = a.publish("deviceConn", "prodA", "k01", "{\"status\":1}");
              return seqs(dave).contains(seq);
            });
    long unshared = a.publish("deviceConn", "prodA", "e1", "{\"status\":2}");
    long after = a.publish("deviceConn", "prodA", "k01", "{\"status\":2}");
    await().atMost(CLUSTER_WAIT).until(() -> seqs(dave).contains(after));
    assertThat(seqs(dave)).doesNotContain(unshared);
    assertThat(pushesSoFar(dave))
        .allSatisfy(
            push ->
                assertThat(push.path("body").path("device").path("deviceName").asText())
                    .isIn("e1", "k01"));
  }

  /** A new secret written through one node ends the device's MQTT session on another. */
  @Test
  void aSecretChangedOnOneNodeEndsTheDeviceSessionOnAnother() {
    String db = "jdbc:h2:mem:shared-" + name + ";DB_CLOSE_DELAY=-1";
    Consumer<Map<String, Map<String, Object>>> shared = c -> c.get("registry").put("jdbcUrl", db);
    TestServer a = node(shared);
    TestServer b = node(shared);
    AdminClient admin = new AdminClient(a, a.token("boss").admin().sign());
    try (MqttDevice d2 = MqttDevice.online(b.mqttPort(), "prodA", "d2", "s")) {
      String secret =
          AdminClient.ok(admin.post("/tenants/default/devices/prodA/d2/secret", "{}"), 200)
              .path("secret")
              .asText();

      await().atMost(CLUSTER_WAIT).until(() -> !d2.disconnects.isEmpty());
      assertThat(d2.disconnects.get(0))
          .isInstanceOfSatisfying(
              Mqtt5DisconnectException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED));
      d2.login(secret);
      assertThat(d2.client.getState().isConnected()).isTrue();
    }
  }

  @SafeVarargs
  static List<Long> sorted(java.util.Collection<Long>... parts) {
    List<Long> all = new ArrayList<>();
    for (java.util.Collection<Long> p : parts) {
      all.addAll(p);
    }
    all.sort(null);
    return all;
  }
}
