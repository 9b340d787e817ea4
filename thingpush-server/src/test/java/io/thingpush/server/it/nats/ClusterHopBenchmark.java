package io.thingpush.server.it.nats;

import static io.thingpush.server.it.nats.ClusterTest.subscribe;

import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cost of the cluster hop: latency from the dispatcher's publish to the WebSocket client's
 * receipt, one event at a time, embedded vs cluster (same node, and across nodes), on loopback.
 * A measurement, not a test: run it with {@code -Dthingpush.bench=true} (docs/PERFORMANCE.md).
 */
@EnabledIfSystemProperty(named = "thingpush.bench", matches = "true")
class ClusterHopBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterHopBenchmark.class);
  private static final int WARMUP = 500;
  private static final int EVENTS = 2_000;

  @Test
  void clusterHop() throws Exception {
    try (TestServer embedded = TestServer.start()) {
      report("embedded, one node", measure(embedded, embedded));
    }
    try (NatsTestServer nats = NatsTestServer.start();
        TestServer a = clusterNode(nats);
        TestServer b = clusterNode(nats)) {
      report("cluster, same node", measure(a, a));
      report("cluster, across nodes", measure(a, b));
    }
  }

  private static TestServer clusterNode(NatsTestServer nats) {
    return TestServer.start(
        c -> c.put("cluster", new LinkedHashMap<>(Map.of("natsUrl", nats.url(), "name", "bench"))));
  }

  /** Latencies in microseconds, sorted. */
  private static long[] measure(TestServer publisher, TestServer receiver) throws Exception {
    Connection c = receiver.connectAs("alice");
    subscribe(c, SubCode.DEVICE_CONN.wire(), Map.of("productID", "prodA", "deviceName", "d1"));
    AtomicReference<CountDownLatch> arrived = new AtomicReference<>();
    c.onPush(push -> arrived.get().countDown());
    long[] micros = new long[EVENTS];
    for (int i = 0; i < WARMUP + EVENTS; i++) {
      CountDownLatch latch = new CountDownLatch(1);
      arrived.set(latch);
      long start = System.nanoTime();
      publisher
          .node()
          .dispatcher()
          .publish(
              "bench",
              null,
              SubCode.DEVICE_CONN,
              "prodA",
              "d1",
              Json.parseOrNull("{\"status\":" + (1 + i % 2) + "}"));
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("event " + i + " did not arrive");
      }
      if (i >= WARMUP) {
        micros[i - WARMUP] = (System.nanoTime() - start) / 1_000;
      }
    }
    c.close();
    Arrays.sort(micros);
    return micros;
  }

  private static void report(String what, long[] micros) {
    LOG.warn(
        String.format(
            "cluster hop | %-22s | events %d | p50 %d us | p90 %d us | p99 %d us | max %d us",
            what,
            micros.length,
            micros[micros.length / 2],
            micros[micros.length * 9 / 10],
            micros[micros.length * 99 / 100],
            micros[micros.length - 1]));
  }
}
