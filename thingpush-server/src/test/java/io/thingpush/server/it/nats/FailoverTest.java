package io.thingpush.server.it.nats;

import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Waits.await;
import static io.thingpush.server.it.nats.ClusterTest.PROP;
import static io.thingpush.server.it.nats.ClusterTest.seqs;
import static io.thingpush.server.it.nats.ClusterTest.sorted;
import static io.thingpush.server.it.nats.ClusterTest.subscribe;
import static io.thingpush.server.it.nats.ClusterTest.temp;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What happens when things die: a node killed mid-stream (its clients resume elsewhere), NATS
 * restarted mid-stream (publishes are refused, never lost; apps stay connected), and a node
 * shut down gracefully (drained, then 4009). Every loop is bounded in count and time.
 */
class FailoverTest {
  private static final Map<String, String> D1 = Map.of("productID", "prodA", "deviceName", "d1");
  private final List<AutoCloseable> running = new ArrayList<>();
  private NatsTestServer nats;

  @BeforeEach
  void startNats() {
    nats = NatsTestServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
    nats.close();
  }

  private TestServer node() {
    TestServer node =
        TestServer.start(
            c ->
                c.put(
                    "cluster",
                    new LinkedHashMap<>(
                        Map.of(
                            "natsUrl",
                            nats.url(),
                            "name",
                            "failover",
                            "interestCloseDelayMs",
                            100,
                            "leaseMs",
                            1500))));
    running.add(0, node);
    return node;
  }

  @Test
  void aKilledNodesClientsResumeOnAnotherNodeWithoutLosingAnEvent() throws Exception {
    TestServer survivor = node();
    NodeProcess doomed = NodeProcess.start(nats.url(), "failover");
    running.add(0, doomed);
    Connection c =
        survivor.connect(
            io.thingpush.client.ConnectOptions.builder(doomed.wsBase())
                .appCode(TestServer.APP)
                .token(survivor.tokenOf("alice"))
                .build());
    survivor.accepted(c);
    subscribe(c, PROP, D1);

    ConcurrentLinkedQueue<Long> published = new ConcurrentLinkedQueue<>();
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 0; i < 150; i++) {
                published.add(survivor.publish(PROP, "prodA", "d1", temp(i)));
              }
            });
    publisher.start();
    Waits.pushes(c, 20);
    doomed.kill();
    CloseStatus closed = TestServer.join(c.closed(), Duration.ofSeconds(10));
    assertThat(closed.code())
        .as("abnormal closure, no close frame from a dead node")
        .isEqualTo(1006);
    List<Long> before = seqs(c);

    Connection resumed = survivor.connectAs("alice");
    JsonNode ret =
        TestServer.join(
            resumed.subscribe(
                Json.parseOrNull(
                    "{\"code\":\""
                        + PROP
                        + "\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"since\":"
                        + before.get(before.size() - 1)
                        + "}")));
    assertThat(ret.path("recovered").asBoolean()).isTrue();
    publisher.join(60_000);
    List<Long> all = sorted(published);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> before.size() + pushesSoFar(resumed).size() >= all.size());
    List<Long> together = new ArrayList<>(before);
    together.addAll(seqs(resumed));
    assertThat(together).containsExactlyElementsOf(all);
  }

  @Test
  void whileNatsIsDownPublishesAreRefusedAndAppsStayConnectedAndReceiveEverythingAcknowledged()
      throws Exception {
    TestServer a = node();
    TestServer b = node();
    Connection c = b.connectAs("alice");
    subscribe(c, PROP, D1);

    List<Long> acknowledged = new ArrayList<>();
    AtomicInteger refused = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    for (int i = 0; i < 120 && System.nanoTime() < deadline; i++) {
      if (i == 40) {
        nats.stop();
      }
      if (i == 60) {
        nats.restart();
      }
      TestServer.HttpResult r =
          a.post(
              TestServer.PUBLISH_PATH,
              "Bearer " + TestServer.PLATFORM_KEY,
              "{\"code\":\""
                  + PROP
                  + "\",\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"payload\":"
                  + temp(i)
                  + "}");
      if (r.status() == 200) {
        acknowledged.add(r.json().get("seq").asLong());
      } else {
        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.json().path("code").asInt()).isEqualTo(100007);
        refused.incrementAndGet();
        i = Math.max(i, 60) - 1; // retry the same event after the restart point
        Thread.sleep(50);
      }
    }
    assertThat(refused.get()).as("publishes refused while NATS was down").isPositive();
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(100);
    await().atMost(Duration.ofSeconds(15)).until(() -> seqs(c).containsAll(acknowledged));
    assertThat(c.isOpen()).isTrue();
    List<Long> received = seqs(c);
    assertThat(received).as("in seq order, once each").isSorted().doesNotHaveDuplicates();
  }

  /** Publishes wait for a JetStream that does not answer without holding the node's HTTP threads. */
  @Test
  void whileNatsHangsPublishesAreRefusedAfterTheirTimeoutAndTheNodeAnswersEverythingElse()
      throws Exception {
    TestServer a = node();
    nats.freeze();
    List<CompletableFuture<TestServer.HttpResult>> waiting = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String body =
          "{\"code\":\""
              + PROP
              + "\",\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},"
              + "\"payload\":"
              + temp(i)
              + "}";
      waiting.add(
          CompletableFuture.supplyAsync(
              () -> a.post(TestServer.PUBLISH_PATH, "Bearer " + TestServer.PLATFORM_KEY, body)));
    }
    // Time for the publishes to reach the node; were they still on their way, the check below
    // could only pass, never fail wrongly.
    Thread.sleep(500);

    assertThat(a.get("/health/live").status()).isEqualTo(200);
    assertThat(waiting)
        .as("no publish was answered before the health check")
        .noneMatch(CompletableFuture::isDone);
    for (CompletableFuture<TestServer.HttpResult> publish : waiting) {
      TestServer.HttpResult r = TestServer.join(publish, Duration.ofSeconds(15));
      assertThat(r.status()).as("%s", r).isEqualTo(503);
      assertThat(r.json().path("msg").asText())
          .endsWith("event log unavailable: no acknowledgement within 2000 ms");
    }
    nats.thaw();
  }

  @Test
  void aDevicesReportIsAnsweredOnceTheStreamHoldsItAndNotWhileNatsIsDown() throws Exception {
    TestServer a = node();
    TestServer b = node();
    Connection app = b.connectAs("alice");
    subscribe(app, PROP, D1);
    MqttDevice device = MqttDevice.online(a.mqttPort(), "prodA", "d1", "s");
    running.add(0, device);
    String up = device.topic("$thing/up/property");

    assertThat(
            device.publish(
                up, "{\"method\":\"report\",\"msgToken\":\"r1\",\"params\":{\"temp\":21}}"))
        .isEqualTo("SUCCESS");
    assertThat(device.next().path("payload").path("code").asInt()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(15)).until(() -> pushesSoFar(app).size() == 1);

    nats.stop();
    await().atMost(Duration.ofSeconds(15)).until(() -> a.get("/health/ready").status() == 503);
    CompletableFuture<?> pubAck =
        device
            .client
            .toAsync()
            .publishWith()
            .topic(up)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(
                "{\"method\":\"report\",\"msgToken\":\"r2\",\"params\":{\"temp\":22}}"
                    .getBytes(UTF_8))
            .send();
    // Past the node's publish timeout (2 s by default): no PUBACK and no reply ever came.
    Thread.sleep(3000);
    assertThat(pubAck).isNotDone();
    assertThat(device.nextNow()).isEmpty();

    nats.restart();
    await().atMost(Duration.ofSeconds(15)).until(() -> a.get("/health/ready").status() == 200);
    assertThat(
            device.publish(
                up, "{\"method\":\"report\",\"msgToken\":\"r3\",\"params\":{\"temp\":23}}"))
        .isEqualTo("SUCCESS");
    assertThat(device.next().path("payload").path("msgToken").asText()).isEqualTo("r3");
    await().atMost(Duration.ofSeconds(15)).until(() -> pushesSoFar(app).size() == 2);
    assertThat(pushesSoFar(app))
        .extracting(p -> p.path("body").path("param").asInt())
        .containsExactly(21, 23);
  }

  @Test
  void aGracefulShutdownDeliversWhatIsQueuedThenCloses4009() {
    TestServer embedded = TestServer.start();
    Connection c = embedded.connectAs("alice");
    subscribe(c, PROP, D1);
    List<Long> published = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      published.add(embedded.publish(PROP, "prodA", "d1", temp(i)));
    }
    embedded.shutdown();

    CloseStatus closed = TestServer.join(c.closed());
    assertThat(closed.code()).isEqualTo(4009);
    assertThat(seqs(c)).containsExactlyElementsOf(published);
    embedded.close();
  }
}
