package io.thingpush.server.it.subscription;

import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.Subs.RECOVERED;
import static io.thingpush.server.it.Subs.device;
import static io.thingpush.server.it.Subs.framesAfter;
import static io.thingpush.server.it.Subs.pingPong;
import static io.thingpush.server.it.Subs.seqs;
import static io.thingpush.server.it.Subs.sub;
import static io.thingpush.server.it.Subs.untilSeq;
import static io.thingpush.server.it.TestServer.join;
import static io.thingpush.server.it.subscription.DeliveryTest.body;
import static io.thingpush.server.it.subscription.DeliveryTest.pub;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.Subs;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §10 {@code snapshot: true} for {@code deviceConn} and {@code deviceOtaReport}: right after
 * {@code down.subRet}, one push per matching device that has a state, with the timestamp and seq
 * of the event that set it, then live events with no gap or duplicate at the seam. The same over
 * two nodes is in {@code ClusterTest}. A fresh server per test: a snapshot holds every state ever
 * set.
 */
class StateSnapshotTest {
  @RegisterExtension final TestServer server = TestServer.forEachTest();

  private long conn(String deviceName, int status, long timestamp) {
    return server.publish(
        "deviceConn",
        "prodA",
        deviceName,
        "{\"status\":" + status + ",\"timestamp\":" + timestamp + "}");
  }

  private long ota(String deviceName, int status, int step, String detail, long timestamp) {
    return server.publish(
        "deviceOtaReport",
        "prodA",
        deviceName,
        "{\"status\":"
            + status
            + ",\"step\":"
            + step
            + ",\"detail\":\""
            + detail
            + "\",\"timestamp\":"
            + timestamp
            + "}");
  }

  private static List<JsonNode> sortedByDevice(List<JsonNode> pushes) {
    List<JsonNode> sorted = new ArrayList<>(pushes);
    sorted.sort(
        Comparator.comparing(p -> p.path("body").path("device").path("deviceName").asText()));
    return sorted;
  }

  private static List<JsonNode> awaitFramesAfter(Connection c, JsonNode reply, int n) {
    Waits.await()
        .alias(n + " frames after " + reply)
        .until(() -> framesAfter(c, reply).size() >= n);
    return new ArrayList<>(framesAfter(c, reply).subList(0, n));
  }

  @Test
  void aDashboardOpensKnowingWhichDevicesAreOnline() {
    conn("d1", 1, 1000);
    long d1 = conn("d1", 2, 2000);
    long d2 = conn("d2", 1, 3000);
    conn("e1", 2, 4000); // another project
    // d3 and d4 never connected: no state, no push

    Connection c = server.connectAs("alice");
    JsonNode reply =
        join(c.subscribe(sub("deviceConn", params("projectID", "p1")).put("snapshot", true)));
    assertJson(reply, OK_SUB);
    List<JsonNode> snapshot = sortedByDevice(awaitFramesAfter(c, reply, 2));
    long live = conn("d3", 1, 5000);
    untilSeq(c, live);

    assertJson(
        snapshot.get(0),
        pub("deviceConn", d1, body("{'device':DEV,'timestamp':'2000','status':2}", "d1")));
    assertJson(
        snapshot.get(1),
        pub("deviceConn", d2, body("{'device':DEV,'timestamp':'3000','status':1}", "d2")));
    assertThat(reply.path("seq").asLong()).isGreaterThanOrEqualTo(d2);
    assertThat(seqs(framesAfter(c, reply)))
        .as("the snapshot, then the live event")
        .containsExactly(
            snapshot.get(0).path("seq").asLong(), snapshot.get(1).path("seq").asLong(), live);
  }

  @Test
  void aDashboardOpensKnowingWhereEachUpgradeStands() {
    ota("d1", 4, 30, "downloading", 1000);
    long d1 = ota("d1", 4, 80, "flashing", 2000);
    long d2 = ota("d2", 6, -3, "checksum", 3000);
    conn("d3", 1, 4000); // a connection is not an upgrade

    Connection c = server.connectAs("alice");
    JsonNode reply =
        join(c.subscribe(sub("deviceOtaReport", params("projectID", "p1")).put("snapshot", true)));
    assertJson(reply, OK_SUB);
    List<JsonNode> snapshot = sortedByDevice(awaitFramesAfter(c, reply, 2));
    pingPong(c);

    assertJson(
        snapshot.get(0),
        pub(
            "deviceOtaReport",
            d1,
            body(
                "{'device':DEV,'timestamp':'2000','status':4,'detail':'flashing','step':80}",
                "d1")));
    assertJson(
        snapshot.get(1),
        pub(
            "deviceOtaReport",
            d2,
            body(
                "{'device':DEV,'timestamp':'3000','status':6,'detail':'checksum','step':-3}",
                "d2")));
    assertThat(framesAfter(c, reply)).filteredOn(Subs::isPush).hasSize(2);
  }

  @Test
  void aFilteredStateSnapshotCarriesOnlyTheStatesThatPass() {
    long offline = conn("d1", 2, 1000);
    conn("d2", 1, 2000);
    ota("d1", 4, 50, "", 3000);
    long failed = ota("d2", 6, -1, "", 4000);

    Connection c = server.connectAs("alice");
    join(
        c.subscribe(
            sub("deviceConn", params("projectID", "p1"))
                .put("snapshot", true)
                .put("filter", "status == 2")));
    join(
        c.subscribe(
            sub("deviceOtaReport", params("projectID", "p1"))
                .put("snapshot", true)
                .put("filter", "step < 0")));
    pingPong(c);

    assertThat(seqs(pushesSoFar(c))).containsExactly(offline, failed);
  }

  /** Recovered: the replay of the device's events, and no snapshot (which would repeat the last). */
  @Test
  void withSinceThatRecoversTheReplayIsSentAndNoSnapshot() {
    long first = conn("d1", 1, 1);
    long second = conn("d1", 2, 2);

    Connection c = server.connectAs("alice");
    JsonNode reply =
        join(
            c.subscribe(sub("deviceConn", device("d1")).put("since", first).put("snapshot", true)));
    assertJson(reply, RECOVERED);
    long third = conn("d1", 1, 3);

    assertThat(seqs(untilSeq(c, third))).containsExactly(second, third);
  }

  /**
   * While a device keeps connecting and disconnecting, connections subscribe with a snapshot: each
   * gets one snapshot push (the status and seq of one published event) and then every later event
   * once, in order: no gap and no duplicate at the seam.
   */
  @Test
  void theSnapshotAndTheLiveStreamMeetWithoutGapOrDuplicateWhileEventsKeepComing()
      throws Exception {
    ConcurrentSkipListSet<Long> seqs = new ConcurrentSkipListSet<>();
    Map<Long, Integer> statusOf = new ConcurrentHashMap<>();
    ExecutorService publisher = Executors.newSingleThreadExecutor();
    try {
      Future<?> running =
          publisher.submit(
              () -> {
                for (int i = 0; i < 200; i++) {
                  int status = 1 + i % 2;
                  long s = conn("k01", status, 1_700_000_000_000L + i);
                  statusOf.put(s, status);
                  seqs.add(s);
                  conn("k02", 1, 1); // another device
                }
                return null;
              });
      List<Connection> connections = new ArrayList<>();
      for (int at : List.of(10, 50, 100, 150)) {
        Waits.await().until(() -> seqs.size() >= at || running.isDone());
        Connection c = server.connectAs("alice");
        assertJson(
            join(c.subscribe(sub("deviceConn", device("k01")).put("snapshot", true))), OK_SUB);
        connections.add(c);
      }
      running.get(TestServer.WAIT.toSeconds() * 6, TimeUnit.SECONDS);
      long last = conn("k01", 2, 1);
      statusOf.put(last, 2);
      seqs.add(last);

      for (Connection c : connections) {
        List<JsonNode> pushes = untilSeq(c, last);
        long first = pushes.get(0).get("seq").asLong();
        assertThat(statusOf).as("the snapshot's seq is a published event's").containsKey(first);
        List<Long> expected = new ArrayList<>();
        expected.add(first);
        expected.addAll(seqs.tailSet(first, false));
        assertThat(seqs(pushes))
            .as("snapshot at %d, then live", first)
            .containsExactlyElementsOf(expected);
        for (JsonNode push : pushes) {
          assertThat(push.path("body").path("status").asInt())
              .as("status of %s", push)
              .isEqualTo(statusOf.get(push.get("seq").asLong()));
        }
      }
    } finally {
      publisher.shutdownNow();
    }
  }
}
