package io.thingpush.server.it.subscription;

import static io.thingpush.client.testkit.TestConnections.framesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.NOT_RECOVERED;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.Subs.RECOVERED;
import static io.thingpush.server.it.Subs.device;
import static io.thingpush.server.it.Subs.filter;
import static io.thingpush.server.it.Subs.framesAfter;
import static io.thingpush.server.it.Subs.isPush;
import static io.thingpush.server.it.Subs.property;
import static io.thingpush.server.it.Subs.seqs;
import static io.thingpush.server.it.Subs.sub;
import static io.thingpush.server.it.Subs.untilSeq;
import static io.thingpush.server.it.TestServer.join;
import static io.thingpush.server.it.subscription.DeliveryTest.body;
import static io.thingpush.server.it.subscription.DeliveryTest.pub;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.Jsons;
import io.thingpush.server.it.Subs;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §2 {@code since} and §7 history, through the publish API: the replay of held events, the
 * seam with the live stream (also while events keep coming), {@code recovered}, V2 with an
 * identifier, and that a replay holds only what the subscription matches.
 *
 * <p>Every test uses its own devices, so the shared server's history of other tests never
 * matches. "Nothing else was pushed" is checked the way {@link DeliveryTest} does: a last
 * wanted event is published after everything else; pushes reach a connection in order, so
 * anything unwanted would have arrived before it.
 */
class ResumeTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  @Test
  void sinceReplaysTheHeldMatchingEventsAfterItInOrderThenTheLiveOnes() {
    Connection c = server.connectAs("alice");
    List<Long> k01 = new ArrayList<>();
    Map<Long, Integer> statusOf = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      int status = i % 2 + 1;
      long seq = conn(server, "k01", status);
      k01.add(seq);
      statusOf.put(seq, status);
      conn(server, "k02", 1); // another device
      server.publish(
          "deviceOtaReport", "prodA", "k01", "{\"step\":" + i + ",\"status\":4}"); // another code
    }
    long since = k01.get(2);

    JsonNode reply = join(c.subscribe(sub("deviceConn", device("k01")).put("since", since)));
    assertJson(reply, RECOVERED);

    List<Long> live = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      conn(server, "k02", 2);
      long seq = conn(server, "k01", 2);
      live.add(seq);
      statusOf.put(seq, 2);
    }
    List<Long> expected = new ArrayList<>(k01.subList(3, k01.size()));
    expected.addAll(live);

    List<JsonNode> pushes = untilSeq(c, live.get(live.size() - 1));
    assertThat(seqs(pushes))
        .as("replay after %d, then live", since)
        .containsExactlyElementsOf(expected);
    for (JsonNode push : pushes) {
      long seq = push.get("seq").asLong();
      assertJson(
          push,
          pub(
              "deviceConn",
              seq,
              body("{'device':DEV,'timestamp':'*','status':" + statusOf.get(seq) + "}", "k01")));
    }
    // the replay comes right after down.subRet: nothing in between
    assertThat(framesAfter(c, reply)).allMatch(Subs::isPush).hasSize(expected.size());
  }

  /**
   * Several connections subscribe while two publishers keep publishing (300 events), with
   * {@code since} or without: each gets every matching event after its {@code since}, or after
   * its reply's {@code seq}, exactly once, in seq order, whichever side of the seam (replay or
   * live) carried it.
   */
  @Test
  void theSeamHasNoGapAndNoDuplicateWhilePublishersKeepPublishing() throws Exception {
    ConcurrentSkipListSet<Long> k03 = new ConcurrentSkipListSet<>();
    ExecutorService publishers = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        running.add(
            publishers.submit(
                () -> {
                  for (int i = 0; i < 150; i++) {
                    if (i % 3 == 2) {
                      conn(server, "k04", 1); // another device: never pushed
                    } else {
                      k03.add(conn(server, "k03", i % 2 + 1));
                    }
                  }
                  return null;
                }));
      }
      List<Connection> connections = new ArrayList<>();
      List<Long> sinces = new ArrayList<>();
      for (int at : List.of(10, 30, 50, 70, 90, 110, 130, 150, 170, 190)) {
        Waits.await().until(() -> k03.size() >= at || running.stream().allMatch(Future::isDone));
        Connection c = server.connectAs("alice");
        if (at % 40 == 10) {
          List<Long> sofar = new ArrayList<>(k03);
          long since = sofar.get(sofar.size() / 2);
          assertJson(
              join(c.subscribe(sub("deviceConn", device("k03")).put("since", since))), RECOVERED);
          sinces.add(since);
        } else {
          JsonNode reply = join(c.subscribe(sub("deviceConn", device("k03"))));
          assertJson(reply, OK_SUB);
          sinces.add(reply.get("seq").asLong());
        }
        connections.add(c);
      }
      for (Future<?> f : running) {
        f.get(TestServer.WAIT.toSeconds() * 6, TimeUnit.SECONDS);
      }
      long last = conn(server, "k03", 1);
      k03.add(last);

      for (int i = 0; i < connections.size(); i++) {
        long since = sinces.get(i);
        List<Long> expected = new ArrayList<>(k03.tailSet(since, false));
        assertThat(seqs(untilSeq(connections.get(i), last)))
            .as("connection %d subscribed with since %d or answered seq %d", i, since, since)
            .containsExactlyElementsOf(expected);
      }
    } finally {
      publishers.shutdownNow();
    }
  }

  /**
   * The reply's {@code seq} (docs/protocol.md): the log's head when the subscription started, so
   * what is published after the reply is above it, and a new connection resuming with {@code
   * since} = it gets exactly what was published while no connection held the subscription, even
   * though the first one never had a push.
   */
  @Test
  void theReplysSeqIsWhereTheSubscriptionStandsAndASinceFromItGetsExactlyWhatWasMissed() {
    long before = conn(server, "k09", 1);
    Connection first = server.connectAs("alice");
    JsonNode reply = join(first.subscribe(sub("deviceConn", device("k09"))));
    assertJson(reply, OK_SUB);
    long seq = reply.get("seq").asLong();
    assertThat(seq).as("the head of the log: the event published just before").isEqualTo(before);
    Connection watcher = server.connectAs("alice");
    assertThat(join(watcher.subscribe(sub("deviceConn", device("k09")))).get("seq").asLong())
        .isEqualTo(seq);
    first.close();

    List<Long> missed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      conn(server, "k02", 1); // another device
      missed.add(conn(server, "k09", i % 2 + 1));
    }
    long head = conn(server, "k02", 2);
    assertThat(seqs(untilSeq(watcher, missed.get(2))))
        .as("published after the reply: above its seq")
        .containsExactlyElementsOf(missed);

    Connection resumed = server.connectAs("alice");
    JsonNode again = join(resumed.subscribe(sub("deviceConn", device("k09")).put("since", seq)));
    assertJson(again, RECOVERED);
    assertThat(again.get("seq").asLong()).as("the end of the replay").isEqualTo(head);
    long live = conn(server, "k09", 1);
    List<Long> expected = new ArrayList<>(missed);
    expected.add(live);
    assertThat(seqs(untilSeq(resumed, live))).containsExactlyElementsOf(expected);
  }

  @Test
  void sinceZeroOnAFreshServerRecoversEverything() {
    try (TestServer fresh = TestServer.start()) {
      Connection early = fresh.connectAs("alice");
      JsonNode earlyReply = join(early.subscribe(sub("deviceConn", device("k05")).put("since", 0)));
      assertJson(earlyReply, RECOVERED);

      long s1 = conn(fresh, "k05", 1);
      conn(fresh, "k02", 1);
      long s2 = conn(fresh, "k05", 2);

      Connection late = fresh.connectAs("alice");
      assertJson(join(late.subscribe(sub("deviceConn", device("k05")).put("since", 0))), RECOVERED);
      long s3 = conn(fresh, "k05", 1);

      assertThat(seqs(untilSeq(early, s3))).containsExactly(s1, s2, s3);
      assertThat(seqs(untilSeq(late, s3))).containsExactly(s1, s2, s3);
    }
  }

  /**
   * A history of 5 events: after 8 events it holds seq 4..8. {@code since} 3 still recovers
   * (oldest 4 ≤ 3 + 1); {@code since} 1 and 2 do not, and their replay starts at the oldest
   * held event.
   */
  @Test
  void aHistoryThatNoLongerReachesSinceSaysNotRecoveredAndReplaysFromItsOldestEvent() {
    try (TestServer tiny =
        TestServer.start(c -> c.put("history", new LinkedHashMap<>(Map.of("maxEvents", 5))))) {
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        seqs.add(conn(tiny, "k06", i % 2 + 1));
      }
      List<Long> held = seqs.subList(3, 8);

      Connection lost1 = tiny.connectAs("alice");
      assertJson(
          join(lost1.subscribe(sub("deviceConn", device("k06")).put("since", seqs.get(0)))),
          NOT_RECOVERED);
      Connection lost2 = tiny.connectAs("alice");
      assertJson(
          join(lost2.subscribe(sub("deviceConn", device("k06")).put("since", seqs.get(1)))),
          NOT_RECOVERED);
      Connection edge = tiny.connectAs("alice");
      assertJson(
          join(edge.subscribe(sub("deviceConn", device("k06")).put("since", seqs.get(2)))),
          RECOVERED);
      Connection recent = tiny.connectAs("alice");
      assertJson(
          join(recent.subscribe(sub("deviceConn", device("k06")).put("since", seqs.get(5)))),
          RECOVERED);

      long live = conn(tiny, "k06", 1);
      List<Long> fromOldest = new ArrayList<>(held);
      fromOldest.add(live);
      assertThat(seqs(untilSeq(lost1, live)))
          .as("since %d", seqs.get(0))
          .containsExactlyElementsOf(fromOldest);
      assertThat(seqs(untilSeq(lost2, live)))
          .as("since %d", seqs.get(1))
          .containsExactlyElementsOf(fromOldest);
      assertThat(seqs(untilSeq(edge, live)))
          .as("since %d", seqs.get(2))
          .containsExactlyElementsOf(fromOldest);
      assertThat(seqs(untilSeq(recent, live))).containsExactly(seqs.get(6), seqs.get(7), live);
    }
  }

  @Test
  void aV2IdentifierSubscriptionReplaysOnlyThatPropertyOfTheReportsThatHaveIt() {
    long before = conn(server, "k07", 1);
    long s1 = v2(server, "k07", "{'temp':1,'hum':10}", 1);
    v2(server, "k07", "{'hum':11}", 2); // no temp: nothing
    long s3 = v2(server, "k07", "{'temp':2,'label':'a'}", 3);
    server.publish(
        "devicePropertyReport", "prodA", "k07", "{\"identifier\":\"temp\",\"param\":3}"); // V1
    v2(server, "k08", "{'temp':9}", 4); // another device

    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe(
                sub("devicePropertyReportV2", property("k07", "temp")).put("since", before))),
        RECOVERED);
    long s5 = v2(server, "k07", "{'temp':4,'hum':12}", 5);
    v2(server, "k07", "{'hum':13}", 6);
    long s7 = v2(server, "k07", "{'temp':5}", 7);

    List<JsonNode> pushes = untilSeq(c, s7);
    assertThat(seqs(pushes)).containsExactly(s1, s3, s5, s7);
    assertJson(
        pushes.get(0),
        pub(
            "devicePropertyReportV2",
            s1,
            body("{'device':DEV,'timestamp':'1','params':{'temp':1}}", "k07")));
    assertJson(
        pushes.get(1),
        pub(
            "devicePropertyReportV2",
            s3,
            body("{'device':DEV,'timestamp':'3','params':{'temp':2}}", "k07")));
    assertJson(
        pushes.get(2),
        pub(
            "devicePropertyReportV2",
            s5,
            body("{'device':DEV,'timestamp':'5','params':{'temp':4}}", "k07")));
  }

  /**
   * p1: a1 ⊃ a11 ⊃ a111 (d1); a12 (d2) is a sibling of a11; a2 (d3); d4 at the project root;
   * e1 in p2; x1 in tenant acme. A {@code since} replay of area a11 carries only d1's deviceConn.
   */
  @Test
  void aReplayNeverCarriesEventsTheSubscriptionDoesNotMatch() {
    long before = conn(server, "d1", 1);
    List<Long> d1 = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      d1.add(conn(server, "d1", i % 2 + 1));
      for (String other : List.of("d2", "d3", "d4", "e1")) {
        conn(server, other, 1);
      }
      server.publish("deviceOtaReport", "prodA", "d1", "{\"step\":1,\"status\":4}");
      server.publish(
          "devicePropertyReport", "prodA", "d1", "{\"identifier\":\"temp\",\"param\":1}");
      server.publishAs(TestServer.ACME_KEY, "deviceConn", "prodX", "x1", "{\"status\":1}");
    }

    Connection alice = server.connectAs("alice");
    assertJson(
        join(
            alice.subscribe(
                sub("deviceConn", params("projectID", "p1", "areaID", "a11"))
                    .put("since", before))),
        RECOVERED);
    Connection wile =
        server.accepted(
            server.connect(
                server
                    .options()
                    .token(server.token("wile").tenant("acme").sign())
                    .tenantCode("acme")
                    .build()));
    assertJson(
        join(wile.subscribe(sub("deviceConn", params("projectID", "px")).put("since", 0))),
        RECOVERED);

    conn(server, "d2", 1);
    long lastD1 = conn(server, "d1", 1);
    long lastX1 =
        server.publishAs(TestServer.ACME_KEY, "deviceConn", "prodX", "x1", "{\"status\":2}");
    d1.add(lastD1);

    List<JsonNode> alicePushes = untilSeq(alice, lastD1);
    assertThat(seqs(alicePushes)).containsExactlyElementsOf(d1);
    assertThat(alicePushes).allMatch(Subs.ofDevice("d1"));
    List<JsonNode> wilePushes = untilSeq(wile, lastX1);
    assertThat(wilePushes).hasSize(4).allMatch(Subs.ofDevice("x1"));
    assertThat(filter(framesSoFar(alice), f -> isPush(f) && !Subs.ofDevice("d1").test(f)))
        .isEmpty();
  }

  // ---- helpers

  private static long conn(TestServer s, String deviceName, int status) {
    return s.publish("deviceConn", "prodA", deviceName, "{\"status\":" + status + "}");
  }

  private static long v2(TestServer s, String deviceName, String params, long timestamp) {
    return s.publish(
        "devicePropertyReportV2",
        "prodA",
        deviceName,
        "{\"params\":" + Jsons.json(params) + ",\"timestamp\":" + timestamp + "}");
  }
}
