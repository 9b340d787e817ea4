package io.thingpush.server.it;

import static io.thingpush.server.it.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    TestServer node = TestServer.start(c -> {
      c.put("cluster", new java.util.LinkedHashMap<>(Map.of(
          "natsUrl", nats.url(), "name", name, "interestCloseDelayMs", 100, "leaseMs", 1500)));
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
    return c.pushesSoFar().stream().map(p -> p.path("seq").asLong()).toList();
  }

  static void subscribe(Connection c, String code, Map<String, ?> params) {
    JsonNode ret = TestServer.join(c.subscribe(code, params));
    assertThat(ret.path("code").asInt()).as("subRet %s", ret).isEqualTo(200);
  }

  static long metric(TestServer node, String name) {
    String text = TestServer.send(java.net.http.HttpRequest.newBuilder(node.httpBase().resolve("/metrics")).build()).body();
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
    Thread fromA = new Thread(() -> {
      for (int i = 0; i < 60; i++) {
        d1.add(a.publish(PROP, "prodA", "d1", temp(i)));
      }
    });
    Thread fromC = new Thread(() -> {
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
    await().until(() -> onB.pushesSoFar().size() >= all.size() && onC.pushesSoFar().size() >= inHall.size()
        && onA.pushesSoFar().size() >= d2.size());
    assertThat(seqs(onB)).as("device + project on B, each event once").containsExactlyElementsOf(all);
    assertThat(seqs(onC)).as("area a1 with sub-areas on C").containsExactlyElementsOf(inHall);
    assertThat(seqs(onA)).as("one property on A").containsExactlyElementsOf(sorted(d2));
    assertThat(List.of(onA.connectID(), onB.connectID(), onC.connectID())).doesNotHaveDuplicates();
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
