package io.thingpush.server.it.observe;

import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.Subs.OK_UNSUB;
import static io.thingpush.server.it.Subs.device;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.client.Connection;
import io.thingpush.server.it.Subs;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics} (Prometheus text, connections per tenant) and {@code GET /health} on the
 * management port after a known scenario on a fresh server: open connections, subscriptions
 * held, events in by code and source, pushes.
 */
class MetricsTest {
  @RegisterExtension
  final TestServer server =
      TestServer.forEachTest(c -> c.get("management").put("tenantLabels", true));

  @Test
  void healthIsUp() {
    TestServer.HttpResult health = server.get("/health");
    assertThat(health.status()).as("%s", health).isEqualTo(200);
    assertThat(health.contentType()).startsWith("application/json");
    assertJson(health.json(), "{'status':'UP'}");
  }

  @Test
  void metricsCountConnectionsSubscriptionsEventsAndPushesOfAKnownScenario() {
    // 3 connections stay open; a refused one and a closed one do not count
    Connection c1 = server.connectAs("alice");
    Connection c2 = server.connectAs("alice");
    Connection c3 = server.connectAs("erin");
    Connection refused =
        server.connect(
            server
                .options()
                .token(
                    server
                        .token("alice")
                        .signedWith("another-secret-of-at-least-32-bytes-xyz")
                        .sign())
                .build());
    assertThat(refused.accepted()).isFalse();
    Connection gone = server.connectAs("erin");
    assertJson(join(gone.subscribe("deviceConn", device("k05"))), OK_SUB);
    gone.close();

    // 4 subscriptions: c1 two; c2 one (subscribed twice, plus one ended and one refused); c3 one
    assertJson(join(c1.subscribe("deviceConn", device("k01"))), OK_SUB);
    assertJson(join(c1.subscribe("devicePropertyReport", params("projectID", "p2"))), OK_SUB);
    assertJson(join(c2.subscribe("deviceConn", device("k01"))), OK_SUB);
    assertJson(join(c2.subscribe("deviceConn", device("k01"))), OK_SUB);
    assertJson(join(c2.subscribe("deviceOtaReport", device("k03"))), OK_SUB);
    assertJson(join(c2.unsubscribe("deviceOtaReport", device("k03"))), OK_UNSUB);
    assertJson(
        join(c2.subscribe("deviceConn", params("productID", "prodX", "deviceName", "x1"))),
        "{'code':100009,'msg':'*','type':'down.subRet','handler':'*'}");
    assertJson(join(c3.subscribe("deviceOtaReport", device("k02"))), OK_SUB);

    // events: deviceConn 4, devicePropertyReport 2, deviceOtaReport 1 (plus one refused)
    for (int i = 0; i < 3; i++) {
      server.publish("deviceConn", "prodA", "k01", "{\"status\":1}"); // c1 and c2: 6 pushes
    }
    server.publish(
        "devicePropertyReport", "prodA", "k01", "{\"identifier\":\"temp\",\"param\":1}"); // c1
    server.publish(
        "devicePropertyReport", "prodA", "k01", "{\"identifier\":\"temp\",\"param\":2}"); // c1
    server.publish("deviceOtaReport", "prodA", "k02", "{\"step\":1,\"status\":4}"); // c3
    server.publish("deviceConn", "prodA", "k04", "{\"status\":1}"); // nobody
    TestServer.HttpResult unknown =
        server.post(
            TestServer.PUBLISH_PATH,
            "Bearer " + TestServer.PLATFORM_KEY,
            "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"prodA\",\"deviceName\":\"nope\"},\"payload\":{\"status\":1}}");
    assertThat(unknown.status()).as("%s", unknown).isEqualTo(404);
    Waits.pushes(c1, 5);
    Waits.pushes(c2, 3);
    Waits.pushes(c3, 1);

    Waits.await()
        .alias("connections and subscriptions of the scenario")
        .untilAsserted(
            () -> {
              Map<String, Double> m = scrape();
              assertThat(m)
                  .containsEntry("thingpush_connections{tenant=\"default\"}", 3.0)
                  .containsEntry("thingpush_subscriptions{code=\"deviceConn\"}", 2.0)
                  .containsEntry("thingpush_subscriptions{code=\"devicePropertyReport\"}", 1.0)
                  .containsEntry("thingpush_subscriptions{code=\"deviceOtaReport\"}", 1.0)
                  .containsEntry("thingpush_subscriptions{code=\"devicePublish\"}", 0.0);
            });
    Map<String, Double> m = scrape();
    assertThat(m)
        .containsEntry("thingpush_events_in_total{code=\"deviceConn\",source=\"http\"}", 4.0)
        .containsEntry(
            "thingpush_events_in_total{code=\"devicePropertyReport\",source=\"http\"}", 2.0)
        .containsEntry("thingpush_events_in_total{code=\"deviceOtaReport\",source=\"http\"}", 1.0)
        .containsEntry("thingpush_deliveries_total{kind=\"live\"}", 9.0);
    List<String> eventsIn = new ArrayList<>();
    m.forEach(
        (k, v) -> {
          if (k.startsWith("thingpush_events_in_total") && v > 0) {
            eventsIn.add(k);
          }
        });
    assertThat(eventsIn).as("codes with events in").hasSize(3);
    assertThat(pushesSoFar(c1)).hasSize(5);
    assertThat(pushesSoFar(c2)).hasSize(3);
    assertThat(pushesSoFar(c3)).hasSize(1);
  }

  @Test
  void aTenantsConnectionGaugeReadsZeroOnceItsLastConnectionCloses() {
    Connection c = server.connectAs("alice");
    Waits.await()
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .containsEntry("thingpush_connections{tenant=\"default\"}", 1.0));

    c.close();

    Waits.await()
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .containsEntry("thingpush_connections{tenant=\"default\"}", 0.0));
  }

  /** The latency histogram is of live pushes only: a replay's event may be an hour old, a snapshot's too. */
  @Test
  void replayedAndSnapshotPushesAreCountedApartAndStayOutOfTheLatencyHistogram() {
    long first =
        server.publish(
            "devicePropertyReport", "prodA", "k01", "{\"identifier\":\"temp\",\"param\":1}");
    Connection c = server.connectAs("alice");
    join(c.subscribe(Subs.sub("devicePropertyReport", device("k01")).put("since", first - 1)));
    join(
        c.subscribe(
            Subs.sub("devicePropertyReport", Subs.property("k01", "temp")).put("snapshot", true)));
    Waits.pushes(c, 2);

    server.publish("devicePropertyReport", "prodA", "k01", "{\"identifier\":\"temp\",\"param\":2}");
    Waits.pushes(c, 3);

    Waits.await()
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .containsEntry("thingpush_deliveries_total{kind=\"replay\"}", 1.0)
                    .containsEntry("thingpush_deliveries_total{kind=\"snapshot\"}", 1.0)
                    .containsEntry("thingpush_deliveries_total{kind=\"live\"}", 1.0)
                    .containsEntry("thingpush_push_latency_seconds_count", 1.0));
  }

  @Test
  void theJvmAndTheProcessAreMeasuredToo() {
    assertThat(scrape().keySet())
        .anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
        .anyMatch(k -> k.startsWith("jvm_gc_"))
        .contains(
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "process_uptime_seconds",
            "process_files_open_files",
            "system_cpu_count");
  }

  /**
   * The Prometheus text as {@code name{labels sorted by name}} → value; comment lines skipped.
   */
  private Map<String, Double> scrape() {
    TestServer.HttpResult r = server.get("/metrics");
    assertThat(r.status()).as("GET /metrics").isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space).trim();
      double value = Double.parseDouble(line.substring(space + 1).trim());
      samples.put(normalise(series), value);
    }
    return samples;
  }

  /** {@code name{b="2",a="1"}} → {@code name{a="1",b="2"}}. */
  private static String normalise(String series) {
    int brace = series.indexOf('{');
    if (brace < 0) {
      return series;
    }
    Map<String, String> labels = new TreeMap<>();
    String inner = series.substring(brace + 1, series.lastIndexOf('}'));
    for (String pair : inner.split(",(?=[a-zA-Z_]+=\")")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      labels.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    StringBuilder sb = new StringBuilder(series.substring(0, brace)).append('{');
    labels.forEach(
        (k, v) ->
            sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ",")
                .append(k)
                .append('=')
                .append(v));
    return sb.append('}').toString();
  }
}
