package io.thingpush.server.it.subscription;

import static io.thingpush.client.testkit.TestConnections.framesSoFar;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.NOT_RECOVERED;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.Subs.RECOVERED;
import static io.thingpush.server.it.Subs.device;
import static io.thingpush.server.it.Subs.filter;
import static io.thingpush.server.it.Subs.framesAfter;
import static io.thingpush.server.it.Subs.isPush;
import static io.thingpush.server.it.Subs.pingPong;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §2 {@code snapshot: true}: the latest value of each matching property right after
 * {@code down.subRet}, with its original timestamp and the seq of the event that set it, for
 * every params shape and both property codes; then live events without duplicates; with
 * {@code since}; and never anything the user may not read.
 *
 * <p>Each test has a fresh server: a project snapshot holds every value ever reported in it.
 */
class SnapshotTest {
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The reports of {@link #reportIntoProjectPm()}, by name. */
  private final Map<String, Long> seq = new LinkedHashMap<>();

  /**
   * Project pm: mdev11 in area m11 (under m1), mdev2 in area m2. mdev11's newest timestamp (hum,
   * 5000) is not on its newest seq (temp, d); power and the first temp come from a V2 report.
   */
  private void reportIntoProjectPm() {
    seq.put("a", v1("mdev11", "temp", "20.5", 1000));
    seq.put("b", v1("mdev11", "hum", "40", 5000));
    seq.put("c", v2("mdev11", "{'temp':21.5,'power':1}", 2000));
    seq.put("d", v1("mdev11", "temp", "22.5", 3000));
    server.publish("deviceConn", "prodA", "mdev11", "{\"status\":1}"); // not a property event
    seq.put("e", v2("mdev2", "{'hum':50,'label':'x'}", 6000));
    seq.put("f", v1("mdev2", "hum", "51", 7000));
  }

  private String v1Push(
      String deviceName, String identifier, String param, String timestamp, String seqName) {
    return pub(
        "devicePropertyReport",
        seq.get(seqName),
        body(
            "{'device':DEV,'timestamp':'"
                + timestamp
                + "','identifier':'"
                + identifier
                + "','param':"
                + param
                + "}",
            deviceName));
  }

  private String v2Push(String deviceName, String params, String timestamp, String seqName) {
    return pub(
        "devicePropertyReportV2",
        seq.get(seqName),
        body("{'device':DEV,'timestamp':'" + timestamp + "','params':" + params + "}", deviceName));
  }

  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of("devicePropertyReport", "property"),
        Arguments.of("devicePropertyReport", "device"),
        Arguments.of("devicePropertyReport", "project"),
        Arguments.of("devicePropertyReport", "area"),
        Arguments.of("devicePropertyReportV2", "property"),
        Arguments.of("devicePropertyReportV2", "device"),
        Arguments.of("devicePropertyReportV2", "project"),
        Arguments.of("devicePropertyReportV2", "area"));
  }

  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("shapes")
  void theSnapshotFollowsTheReplyWithTheLatestValuesThenLiveEventsFollow(
      String code, String shape) {
    reportIntoProjectPm();
    boolean v2 = code.equals("devicePropertyReportV2");
    Map<String, Object> params =
        switch (shape) {
          case "property" -> property("mdev11", v2 ? "hum" : "temp");
          case "device" -> device("mdev11");
          case "project" -> params("projectID", "pm");
          default -> params("projectID", "pm", "areaID", "m1");
        };
    List<String> mdev11;
    List<String> mdev2;
    if (v2) {
      mdev11 =
          List.of(
              shape.equals("property")
                  ? v2Push("mdev11", "{'hum':40}", "5000", "b")
                  : v2Push("mdev11", "{'temp':22.5,'hum':40,'power':1}", "5000", "d"));
      mdev2 = List.of(v2Push("mdev2", "{'hum':51,'label':'x'}", "7000", "f"));
    } else {
      List<String> all =
          List.of(
              v1Push("mdev11", "hum", "40", "5000", "b"),
              v1Push("mdev11", "power", "1", "2000", "c"),
              v1Push("mdev11", "temp", "22.5", "3000", "d"));
      mdev11 = shape.equals("property") ? List.of(all.get(2)) : all;
      mdev2 =
          List.of(
              v1Push("mdev2", "hum", "51", "7000", "f"),
              v1Push("mdev2", "label", "'x'", "6000", "e"));
    }
    List<String> expected = new ArrayList<>(mdev11);
    if (shape.equals("project")) {
      expected.addAll(mdev2);
    }

    Connection c = server.connectAs("alice");
    JsonNode reply = join(c.subscribe(sub(code, params).put("snapshot", true)));
    assertJson(reply, OK_SUB);
    // The snapshot is taken after the reply is sent: a report published before its pushes
    // arrived could legitimately be in it. So the live report is published after them.
    List<JsonNode> snapshot = awaitFramesAfter(c, reply, expected.size());
    assertThat(snapshot).as("frames after down.subRet").allMatch(Subs::isPush);
    snapshot.sort(Comparator.comparing(SnapshotTest::deviceAndIdentifier));
    for (int i = 0; i < expected.size(); i++) {
      assertJson("snapshot push " + i, snapshot.get(i), expected.get(i));
    }

    long live =
        v2 ? v2("mdev11", "{'temp':23.5,'hum':41}", 8000) : v1("mdev11", "temp", "23.5", 8000);
    untilSeq(c, live);
    List<JsonNode> after = framesAfter(c, reply);
    assertThat(after).as("frames after down.subRet").hasSize(expected.size() + 1);
    JsonNode livePush = after.get(expected.size());
    assertThat(livePush.get("seq").asLong()).isEqualTo(live);
    String liveBody =
        v2 ? (shape.equals("property") ? "{'hum':41}" : "{'temp':23.5,'hum':41}") : null;
    assertJson(
        livePush,
        v2
            ? pub(
                code,
                live,
                body("{'device':DEV,'timestamp':'8000','params':" + liveBody + "}", "mdev11"))
            : pub(
                code,
                live,
                body(
                    "{'device':DEV,'timestamp':'8000','identifier':'temp','param':23.5}",
                    "mdev11")));
  }

  /** A V1 report after a V2 report of the same value: the later event's seq and timestamp count. */
  @Test
  void theLaterOfAV2AndAV1ReportOfTheSameValueCounts() {
    long v2 = v2("k01", "{'temp':30,'hum':60}", 1000);
    long v1 = v1("k01", "temp", "30", 1001);

    Connection c = server.connectAs("alice");
    JsonNode one =
        join(
            c.subscribe(
                sub("devicePropertyReport", property("k01", "temp")).put("snapshot", true)));
    JsonNode two =
        join(c.subscribe(sub("devicePropertyReportV2", device("k01")).put("snapshot", true)));
    pingPong(c);

    assertJson(
        framesAfter(c, one).get(0),
        pub(
            "devicePropertyReport",
            v1,
            body("{'device':DEV,'timestamp':'1001','identifier':'temp','param':30}", "k01")));
    assertJson(
        framesAfter(c, two).get(0),
        pub(
            "devicePropertyReportV2",
            v1,
            body("{'device':DEV,'timestamp':'1001','params':{'temp':30,'hum':60}}", "k01")));
    assertThat(v1).isGreaterThan(v2);
  }

  @Test
  void aDeviceOrPropertyThatNeverReportedHasNoSnapshotPush() {
    v1("d1", "temp", "1", 1);
    server.publish("deviceConn", "prodA", "d2", "{\"status\":1}");

    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe(sub("devicePropertyReport", device("d2")).put("snapshot", true))), OK_SUB);
    assertJson(
        join(c.subscribe(sub("devicePropertyReportV2", device("d3")).put("snapshot", true))),
        OK_SUB);
    assertJson(
        join(c.subscribe(sub("devicePropertyReport", property("d1", "hum")).put("snapshot", true))),
        OK_SUB);
    assertJson(
        join(
            c.subscribe(
                sub("devicePropertyReportV2", property("d1", "hum")).put("snapshot", true))),
        OK_SUB);
    pingPong(c);
    assertThat(pushesSoFar(c)).as("no snapshot of values never reported").isEmpty();

    long live = v1("d2", "temp", "2", 2);
    assertThat(seqs(untilSeq(c, live))).containsExactly(live);
  }

  /**
   * While two publishers keep reporting temp of k01, connections subscribe with a snapshot:
   * each gets one snapshot push (the value and seq of one published report) and then every
   * later report once, in order: no duplicate and no gap at the seam.
   */
  @Test
  void theSnapshotAndTheLiveStreamMeetWithoutGapOrDuplicateWhileReportsKeepComing()
      throws Exception {
    ConcurrentSkipListSet<Long> seqs = new ConcurrentSkipListSet<>();
    Map<Long, Integer> valueOf = new ConcurrentHashMap<>();
    ExecutorService publishers = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        int base = p * 1000;
        running.add(
            publishers.submit(
                () -> {
                  for (int i = 0; i < 150; i++) {
                    int value = base + i;
                    long s = v1("k01", "temp", Integer.toString(value), 1_700_000_000_000L + value);
                    valueOf.put(s, value);
                    seqs.add(s);
                    v1("k02", "temp", "0", 1); // another device
                  }
                  return null;
                }));
      }
      List<Connection> connections = new ArrayList<>();
      for (int at : List.of(10, 50, 100, 150, 200)) {
        Waits.await().until(() -> seqs.size() >= at || running.stream().allMatch(Future::isDone));
        Connection c = server.connectAs("alice");
        assertJson(
            join(
                c.subscribe(
                    sub("devicePropertyReport", property("k01", "temp")).put("snapshot", true))),
            OK_SUB);
        connections.add(c);
      }
      for (Future<?> f : running) {
        f.get(TestServer.WAIT.toSeconds() * 6, TimeUnit.SECONDS);
      }
      long last = v1("k01", "temp", "-1", 1);
      valueOf.put(last, -1);
      seqs.add(last);

      for (Connection c : connections) {
        List<JsonNode> pushes = untilSeq(c, last);
        long first = pushes.get(0).get("seq").asLong();
        assertThat(valueOf).as("the snapshot's seq is a published report's").containsKey(first);
        List<Long> expected = new ArrayList<>();
        expected.add(first);
        expected.addAll(seqs.tailSet(first, false));
        assertThat(seqs(pushes))
            .as("snapshot at %d, then live", first)
            .containsExactlyElementsOf(expected);
        for (JsonNode push : pushes) {
          assertThat(push.path("body").path("param").asInt())
              .as("value of %s", push)
              .isEqualTo(valueOf.get(push.get("seq").asLong()));
        }
      }
    } finally {
      publishers.shutdownNow();
    }
  }

  /** Recovered: the replay (temp 2, hum 3, temp 4) and no snapshot (which would repeat hum 3, temp 4). */
  @Test
  void withSinceThatRecoversTheReplayIsSentAndNoSnapshot() {
    long s1 = v1("k01", "temp", "1", 1);
    long s2 = v1("k01", "temp", "2", 2);
    long s3 = v1("k01", "hum", "3", 3);
    long s4 = v1("k01", "temp", "4", 4);

    Connection c = server.connectAs("alice");
    JsonNode reply =
        join(
            c.subscribe(
                sub("devicePropertyReport", device("k01")).put("since", s1).put("snapshot", true)));
    assertJson(reply, RECOVERED);
    long s5 = v1("k01", "temp", "5", 5);

    assertThat(seqs(untilSeq(c, s5))).containsExactly(s2, s3, s4, s5);
    assertThat(framesAfter(c, reply)).allMatch(Subs::isPush);
  }

  /**
   * A history of 5: after hum (seq 1) and temp 1..7 (seq 2..8) it holds seq 4..8. {@code since}
   * 1 does not recover: the snapshot (temp 7, hum 10) instead of the partial history.
   */
  @Test
  void withSinceThatDoesNotRecoverTheSnapshotReplacesThePartialHistory() {
    server.close();
    server = TestServer.start(c -> c.put("history", new LinkedHashMap<>(Map.of("maxEvents", 5))));
    {
      long hum = v1("k01", "hum", "10", 100);
      List<Long> temps = new ArrayList<>();
      for (int i = 1; i <= 7; i++) {
        temps.add(v1("k01", "temp", Integer.toString(i), 100 + i));
      }

      Connection c = server.connectAs("alice");
      JsonNode reply =
          join(
              c.subscribe(
                  sub("devicePropertyReport", device("k01"))
                      .put("since", hum)
                      .put("snapshot", true)));
      assertJson(reply, NOT_RECOVERED);
      Connection noSnapshot = server.connectAs("alice");
      assertJson(
          join(noSnapshot.subscribe(sub("devicePropertyReport", device("k01")).put("since", hum))),
          NOT_RECOVERED);
      List<JsonNode> snapshot = awaitFramesAfter(c, reply, 2);
      long live = v1("k01", "temp", "8", 200);

      untilSeq(c, live);
      List<JsonNode> after = framesAfter(c, reply);
      assertThat(after).hasSize(3).allMatch(Subs::isPush);
      snapshot.sort(Comparator.comparing(SnapshotTest::deviceAndIdentifier));
      assertJson(
          snapshot.get(0),
          pub(
              "devicePropertyReport",
              hum,
              body("{'device':DEV,'timestamp':'100','identifier':'hum','param':10}", "k01")));
      assertJson(
          snapshot.get(1),
          pub(
              "devicePropertyReport",
              temps.get(6),
              body("{'device':DEV,'timestamp':'107','identifier':'temp','param':7}", "k01")));
      assertThat(after.get(2).get("seq").asLong()).isEqualTo(live);

      // without snapshot the same since replays what history holds
      List<Long> partial = new ArrayList<>(temps.subList(2, 7));
      partial.add(live);
      assertThat(seqs(untilSeq(noSnapshot, live))).containsExactlyElementsOf(partial);
    }
  }

  /**
   * Values of every device are known; bob reads area a1 of p1 (d1 in a111, d2 in a12), not a2
   * (d3) nor the project root (d4); x1 belongs to tenant acme, e1 to p2.
   */
  @Test
  void aSnapshotHoldsOnlyWhatTheUserMayReadAndNothingOfAnotherTenant() {
    for (String d : List.of("d1", "d2", "d3", "d4", "e1")) {
      v1(d, "temp", "1", 1);
    }
    server.publishAs(
        TestServer.ACME_KEY,
        "devicePropertyReport",
        "prodX",
        "x1",
        "{\"identifier\":\"temp\",\"param\":2,\"timestamp\":2}");

    Connection bob = server.connectAs("bob");
    JsonNode area =
        join(
            bob.subscribe(
                sub("devicePropertyReport", params("projectID", "p1", "areaID", "a1"))
                    .put("snapshot", true)));
    assertJson(area, OK_SUB);
    assertJson(
        join(
            bob.subscribe(
                sub("devicePropertyReport", params("projectID", "p1")).put("snapshot", true))),
        "{'code':100012,'msg':'*','type':'down.subRet','handler':'*'}");
    assertJson(
        join(bob.subscribe(sub("devicePropertyReportV2", device("d3")).put("snapshot", true))),
        "{'code':100012,'msg':'*','type':'down.subRet','handler':'*'}");
    assertJson(
        join(
            bob.subscribe(
                sub("devicePropertyReport", params("productID", "prodX", "deviceName", "x1"))
                    .put("snapshot", true))),
        "{'code':100009,'msg':'*','type':'down.subRet','handler':'*'}");
    pingPong(bob);
    assertThat(pushesSoFar(bob))
        .extracting(SnapshotTest::deviceAndIdentifier)
        .containsExactlyInAnyOrder("d1/temp", "d2/temp");
    assertThat(framesAfter(bob, area).subList(0, 2)).allMatch(Subs::isPush);

    Connection alice = server.connectAs("alice");
    assertJson(
        join(
            alice.subscribe(
                sub("devicePropertyReportV2", params("projectID", "p1")).put("snapshot", true))),
        OK_SUB);
    assertJson(
        join(
            alice.subscribe(
                sub("devicePropertyReportV2", params("projectID", "px")).put("snapshot", true))),
        "{'code':100009,'msg':'*','type':'down.subRet','handler':'*'}");
    pingPong(alice);
    assertThat(pushesSoFar(alice))
        .extracting(SnapshotTest::deviceAndIdentifier)
        .containsExactlyInAnyOrder("d1", "d2", "d3", "d4");

    Connection wile =
        server.accepted(
            server.connect(
                server
                    .options()
                    .token(server.token("wile").tenant("acme").sign())
                    .tenantCode("acme")
                    .build()));
    assertJson(
        join(
            wile.subscribe(
                sub("devicePropertyReport", params("projectID", "px")).put("snapshot", true))),
        OK_SUB);
    assertJson(
        join(wile.subscribe(sub("devicePropertyReport", device("d1")).put("snapshot", true))),
        "{'code':100009,'msg':'*','type':'down.subRet','handler':'*'}");
    pingPong(wile);
    assertThat(pushesSoFar(wile)).hasSize(1);
    assertJson(
        pushesSoFar(wile).get(0),
        "{'code':200,'msg':'成功','type':'down.pub','path':'devicePropertyReport',"
            + "'seq':'*','body':{'device':{'productID':'prodX','deviceName':'x1'},'timestamp':'2','identifier':'temp','param':2}}");
    assertThat(filter(framesSoFar(wile), f -> isPush(f) && !Subs.ofDevice("x1").test(f))).isEmpty();
  }

  // ---- helpers

  private long v1(String deviceName, String identifier, String param, long timestamp) {
    return server.publish(
        "devicePropertyReport",
        "prodA",
        deviceName,
        "{\"identifier\":\""
            + identifier
            + "\",\"param\":"
            + param
            + ",\"timestamp\":"
            + timestamp
            + "}");
  }

  private long v2(String deviceName, String params, long timestamp) {
    return server.publish(
        "devicePropertyReportV2",
        "prodA",
        deviceName,
        "{\"params\":" + Jsons.json(params) + ",\"timestamp\":" + timestamp + "}");
  }

  /** Waits for {@code n} frames after {@code reply} and returns them (a copy). */
  private static List<JsonNode> awaitFramesAfter(Connection c, JsonNode reply, int n) {
    Waits.await()
        .alias(n + " frames after " + reply)
        .until(() -> framesAfter(c, reply).size() >= n);
    return new ArrayList<>(framesAfter(c, reply).subList(0, n));
  }

  /** {@code deviceName/identifier} of a V1 push, {@code deviceName} of a V2 push. */
  private static String deviceAndIdentifier(JsonNode push) {
    JsonNode body = push.path("body");
    String name = body.path("device").path("deviceName").asText();
    return body.has("identifier") ? name + "/" + body.get("identifier").asText() : name;
  }
}
