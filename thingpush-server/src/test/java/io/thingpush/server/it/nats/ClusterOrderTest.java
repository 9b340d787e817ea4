package io.thingpush.server.it.nats;

import static io.thingpush.client.testkit.TestConnections.awaitFrame;
import static io.thingpush.client.testkit.TestConnections.framesSoFar;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one NATS, in the orders that matter: a registry change made through one node is
 * applied on the other before any event appended after it, and under churn (publishers through
 * both nodes, a subscriber reconnecting with {@code since}) every subscriber gets every
 * acknowledged event once and in seq order.
 */
class ClusterOrderTest {
  private static final Duration CLUSTER_WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> D1 = Map.of("productID", "prodA", "deviceName", "d1");

  private static NatsTestServer nats;
  private final List<TestServer> nodes = new ArrayList<>();
  private final String name = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final String db = "jdbc:h2:mem:shared-" + name + ";DB_CLOSE_DELAY=-1";

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

  private TestServer node() {
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
              c.get("registry").put("jdbcUrl", db);
            });
    nodes.add(node);
    return node;
  }

  private static String status(int i) {
    return "{\"status\":" + (i % 2 + 1) + "}";
  }

  /**
   * Revoke carol's grant through B, then publish through B: carol, connected to A, is told
   * {@code down.unSubRet} 100012 and never gets that event, which alice on A does get.
   */
  @Test
  void aRevokeThroughOneNodeEndsTheSubscriptionOnAnotherBeforeAnyLaterEvent() {
    TestServer a = node();
    TestServer b = node();
    AdminClient admin = new AdminClient(b, b.token("boss").admin().sign());
    Connection alice = a.connectAs("alice");
    ClusterTest.subscribe(alice, "deviceConn", D1);
    for (int round = 0; round < 6; round++) {
      if (round > 0) {
        AdminClient.ok(
            admin.post(
                "/tenants/default/grants", "{'userID':'carol','projectID':'p1','areaID':'a11'}"),
            201);
      }
      Connection carol = a.connectAs("carol");
      // The grant given through B is in force on A once a subscription there is accepted.
      await()
          .atMost(CLUSTER_WAIT)
          .until(
              () -> TestServer.join(carol.subscribe("deviceConn", D1)).path("code").asInt() == 200);
      long live = b.publish("deviceConn", "prodA", "d1", status(round));
      await().atMost(CLUSTER_WAIT).until(() -> ClusterTest.seqs(carol).contains(live));

      AdminClient.ok(
          admin.delete("/tenants/default/grants?userID=carol&projectID=p1&areaID=a11"), 200);
      long later = b.publish("deviceConn", "prodA", "d1", status(round + 1));

      JsonNode ended = awaitFrame(carol, f -> f.path("code").asInt() == 100012, CLUSTER_WAIT);
      assertThat(ended.path("type").asText()).isEqualTo("down.unSubRet");
      await().atMost(CLUSTER_WAIT).until(() -> ClusterTest.seqs(alice).contains(later));
      TestServer.join(carol.ping(Json.object()));
      assertThat(ClusterTest.seqs(carol))
          .as("round %d: carol's pushes after the revoke", round)
          .doesNotContain(later);
      List<JsonNode> frames = framesSoFar(carol);
      assertThat(
              frames.stream()
                  .filter(
                      f ->
                          f.path("seq").asLong() >= later
                              && "down.pub".equals(f.path("type").asText())))
          .as("round %d: no push at or after the revoke's next event", round)
          .isEmpty();
      carol.close();
    }
  }

  /**
   * Publishers through both nodes at once, a subscriber on each node the whole time, and one that
   * reconnects with {@code since} (its last push) to either node every few hundred events: each
   * gets every acknowledged event of the project once, in seq order.
   */
  @Test
  void underChurnEverySubscriberGetsEveryAcknowledgedEventOnceAndInOrder() throws Exception {
    TestServer a = node();
    TestServer b = node();
    Map<String, String> project = Map.of("projectID", "p1");
    Connection onA = a.connectAs("alice");
    ClusterTest.subscribe(onA, "deviceConn", project);
    Connection onB = b.connectAs("alice");
    ClusterTest.subscribe(onB, "deviceConn", project);
    Connection first = b.connectAs("alice");
    ClusterTest.subscribe(first, "deviceConn", project);

    ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    String[] devices = {"d1", "d2", "d3", "d4"};
    List<Thread> publishers = new ArrayList<>();
    int perPublisher = 600;
    for (int p = 0; p < 8; p++) {
      TestServer through = p % 2 == 0 ? a : b;
      String device = devices[p % devices.length];
      Thread publisher =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < perPublisher; i++) {
                    acknowledged.add(through.publish("deviceConn", "prodA", device, status(i)));
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              },
              "publisher-" + p);
      publishers.add(publisher);
      publisher.start();
    }

    // The churning subscriber: what each of its connections got, resumed from the last push.
    List<Long> churned = new ArrayList<>();
    Connection current = first;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int hop = 1;
        publishers.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline;
        hop++) {
      Thread.sleep(300);
      current.close();
      churned.addAll(ClusterTest.seqs(current));
      long since = churned.isEmpty() ? 0 : churned.get(churned.size() - 1);
      current = (hop % 2 == 0 ? a : b).connectAs("alice");
      JsonNode ret =
          TestServer.join(
              current.subscribe(
                  Json.parseOrNull(
                      "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p1\"},\"since\":"
                          + since
                          + "}")));
      assertThat(ret.path("recovered").asBoolean()).as("%s", ret).isTrue();
    }
    for (Thread publisher : publishers) {
      publisher.join(Duration.ofSeconds(60).toMillis());
    }
    assertThat(failures).isEmpty();
    assertThat(acknowledged).hasSize(8 * perPublisher);

    List<Long> expected = List.copyOf(acknowledged);
    Connection last = current;
    try {
      await()
          .atMost(CLUSTER_WAIT)
          .until(
              () ->
                  pushesSoFar(onA).size() >= expected.size()
                      && pushesSoFar(onB).size() >= expected.size()
                      && churned.size() + pushesSoFar(last).size() >= expected.size());
    } catch (ConditionTimeoutException lost) {
      // What is missing is said by the assertions below.
    }
    assertThat(ClusterTest.seqs(onA)).as("on A the whole time").containsExactlyElementsOf(expected);
    assertThat(ClusterTest.seqs(onB)).as("on B the whole time").containsExactlyElementsOf(expected);
    List<Long> resumed = new ArrayList<>(churned);
    resumed.addAll(ClusterTest.seqs(last));
    assertThat(resumed).as("reconnecting with since").containsExactlyElementsOf(expected);
  }
}
