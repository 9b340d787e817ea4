package io.thingpush.server.it.nats;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static io.thingpush.server.it.TestServer.publishBody;
import static io.thingpush.server.it.Waits.await;
import static io.thingpush.server.it.nats.ClusterTest.PROP;
import static io.thingpush.server.it.nats.ClusterTest.seqs;
import static io.thingpush.server.it.nats.ClusterTest.subscribe;
import static io.thingpush.server.it.nats.ClusterTest.temp;
import static io.thingpush.server.it.nats.NatsPlatform.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Nats;
import io.thingpush.client.Connection;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.TestServer.HttpResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publish API over NATS on cluster nodes, which take the subject on their cluster connection
 * in one queue group: each event is taken by exactly one node.
 */
class NatsPublishClusterTest {
  // Events cross NATS twice and two nodes share two busy cores in the suite: wait generously.
  private static final Duration CLUSTER_WAIT = Duration.ofSeconds(30);
  private static final String TAKEN =
      "thingpush_events_in_total{code=\"" + PROP + "\",source=\"nats\"}";
  private static NatsTestServer nats;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final String name = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final String subject = name + ".publish";

  @BeforeAll
  static void startNats() {
    nats = NatsTestServer.start();
  }

  @AfterAll
  static void stopNats() {
    nats.close();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  private TestServer node() {
    TestServer node =
        TestServer.start(
            c -> {
              c.put(
                  "cluster",
                  new LinkedHashMap<>(
                      Map.of(
                          "natsUrl",
                          nats.url(),
                          "name",
                          name,
                          "interestCloseDelayMs",
                          100,
                          "leaseMs",
                          1500)));
              c.get("publish").put("nats", Map.of("enabled", true, "subject", subject));
            });
    running.add(0, node);
    return node;
  }

  private NatsPlatform platform() {
    NatsPlatform platform = NatsPlatform.connect(nats.url(), subject);
    running.add(0, platform);
    return platform;
  }

  @Test
  void eachEventRequestedOnTheSubjectIsTakenByOneNodeAndDeliveredOnce() {
    TestServer a = node();
    TestServer b = node();
    Connection app = b.connectAs("alice");
    subscribe(app, PROP, Map.of("productID", "prodA", "deviceName", "d1"));
    NatsPlatform platform = platform();

    List<Long> taken = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      taken.add(platform.requestOk(PLATFORM_KEY, publishBody(PROP, "prodA", "d1", temp(i))));
    }
    // Published after every request was answered: once it arrives, any duplicate would have too.
    long last = a.publish(PROP, "prodA", "d1", temp(40));

    await().atMost(CLUSTER_WAIT).until(() -> seqs(app).contains(last));
    List<Long> expected = new ArrayList<>(taken.stream().sorted().toList());
    expected.add(last);
    assertThat(taken).doesNotHaveDuplicates();
    assertThat(seqs(app)).as("each event once, in seq order").containsExactlyElementsOf(expected);
    double onA = a.metric(TAKEN);
    double onB = b.metric(TAKEN);
    assertThat(onA + onB).as("events taken by the two nodes together").isEqualTo(40);
    assertThat(List.of(onA, onB))
        .as("the queue group spreads the events over both nodes")
        .allMatch(n -> n > 0);
  }

  /**
   * A platform that got no answer, or a 503 after a time-out, sends the event again, here through
   * the other node and over NATS: JetStream drops the repeats within its duplicate window and
   * each is answered with the first event's seq.
   */
  @Test
  void aRetryWithTheSameIdempotencyKeyThroughAnyNodeIsTheSameEventPushedOnce() throws Exception {
    TestServer a = node();
    TestServer b = node();
    Connection app = b.connectAs("alice");
    subscribe(app, PROP, Map.of("productID", "prodA", "deviceName", "d1"));
    String key = UUID.randomUUID().toString();
    String body = publishBody(PROP, "prodA", "d1", temp(1));

    HttpResult first = a.publishOnce(PLATFORM_KEY, key, body);
    HttpResult throughB = b.publishOnce(PLATFORM_KEY, key, body);
    JsonNode overNats = platform().request(bearer(PLATFORM_KEY).add("Idempotency-Key", key), body);
    long last = a.publish(PROP, "prodA", "d1", temp(2));

    long seq = first.json().get("seq").asLong();
    assertThat(throughB.body()).isEqualTo(first.body());
    assertJson(overNats, "{'code':200,'msg':'success','seq':" + seq + "}");
    await().atMost(CLUSTER_WAIT).until(() -> seqs(app).contains(last));
    assertThat(seqs(app)).containsExactly(seq, last);
    assertThat(b.metric("thingpush_publish_repeats_total{source=\"http\"}")).isEqualTo(1);
    String overNatsRepeats = "thingpush_publish_repeats_total{source=\"nats\"}";
    assertThat(a.metric(overNatsRepeats) + b.metric(overNatsRepeats)).isEqualTo(1);
    try (io.nats.client.Connection admin = Nats.connect(nats.url())) {
      assertThat(
              admin
                  .jetStreamManagement()
                  .getStreamInfo(name + "_events")
                  .getConfiguration()
                  .getDuplicateWindow())
          .as("history.idempotencyWindowMs")
          .isEqualTo(Duration.ofMinutes(2));
    }
  }

  /** JetStream refuses the append (here: the stream is gone), so the request is refused with 100007. */
  @Test
  void whenTheEventLogCannotTakeTheEventTheRequestIsAnswered100007() throws Exception {
    TestServer a = node();
    try (io.nats.client.Connection admin = Nats.connect(nats.url())) {
      admin.jetStreamManagement().deleteStream(name + "_events");
    }

    JsonNode answer =
        platform().request(bearer(PLATFORM_KEY), publishBody(PROP, "prodA", "d1", temp(1)));

    assertJson(answer, "{'code':100007,'msg':'*'}");
    assertThat(answer.path("msg").asText())
        .contains("event log unavailable")
        .doesNotContain("Exception");
    assertThat(a.metric("thingpush_publish_refused_total{code=\"100007\",source=\"nats\"}"))
        .isEqualTo(1);
  }
}
