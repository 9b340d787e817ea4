package io.thingpush.server.it.subscription;

import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.Subs.OK_UNSUB;
import static io.thingpush.server.it.Subs.RECOVERED;
import static io.thingpush.server.it.Subs.device;
import static io.thingpush.server.it.Subs.filter;
import static io.thingpush.server.it.Subs.framesAfter;
import static io.thingpush.server.it.Subs.ofDevice;
import static io.thingpush.server.it.Subs.pingPong;
import static io.thingpush.server.it.Subs.property;
import static io.thingpush.server.it.Subs.seqs;
import static io.thingpush.server.it.Subs.sub;
import static io.thingpush.server.it.Subs.untilSeq;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.Jsons;
import io.thingpush.server.it.Subs;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §10 {@code filter}: a push only when the CEL expression over its body is true, for live
 * events, {@code since} replays, snapshots and throttled streams; the filter is part of the
 * subscription's identity; an event reaches a connection once; a filter failing on an event is
 * false for it, counted, and never closes the connection; every bad filter gets its code with a
 * message naming it. Each test watches devices of its own.
 */
class FilteredSubscriptionTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  private static ObjectNode filtered(String code, Map<String, ?> params, String filter) {
    return sub(code, params).put("filter", filter);
  }

  private static long conn(String deviceName, int status) {
    return server.publish("deviceConn", "prodA", deviceName, "{\"status\":" + status + "}");
  }

  private static long v1(String deviceName, String identifier, Object value) {
    return server.publish(
        "devicePropertyReport",
        "prodA",
        deviceName,
        "{\"identifier\":\"" + identifier + "\",\"param\":" + value + "}");
  }

  private static long v2(String deviceName, String params) {
    return server.publish(
        "devicePropertyReportV2", "prodA", deviceName, "{\"params\":" + params + "}");
  }

  private static List<JsonNode> pushesOf(Connection c, String deviceName) {
    return filter(pushesSoFar(c), ofDevice(deviceName));
  }

  @Test
  void onlyTheOfflineEventsOfAProjectArePushed() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe(filtered("deviceConn", params("projectID", "p1"), "status == 2"))),
        OK_SUB);

    conn("d1", 1);
    long d1Offline = conn("d1", 2);
    conn("d2", 1);
    long d2Offline = conn("d2", 2);
    untilSeq(c, d2Offline);
    pingPong(c);

    assertThat(seqs(pushesSoFar(c))).containsExactly(d1Offline, d2Offline);
    assertThat(pushesSoFar(c)).allMatch(p -> p.get("body").get("status").asInt() == 2);
  }

  @Test
  void aThresholdAlarmOnOneProperty() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe(filtered("devicePropertyReport", property("k01", "temp"), "param > 30"))),
        OK_SUB);
    assertJson(
        join(
            c.subscribe(
                filtered(
                    "devicePropertyReportV2",
                    device("k01"),
                    "params.temp > 30 && params.hum < 50"))),
        OK_SUB);

    v1("k01", "temp", 25);
    long hot = v1("k01", "temp", 30.5);
    v2("k01", "{\"temp\":35,\"hum\":60}");
    v2("k01", "{\"hum\":20}"); // no temp: the comparison is false, not an error
    long hotAndDry = v2("k01", "{\"temp\":35,\"hum\":40}");
    untilSeq(c, hotAndDry);
    pingPong(c);

    assertThat(seqs(pushesSoFar(c))).containsExactly(hot, hotAndDry);
  }

  @Test
  void theFilterIsPartOfTheSubscriptionsIdentityAndUnSubNamesIt() {
    Connection c = server.connectAs("alice");
    assertJson(join(c.subscribe(sub("deviceConn", device("k02")))), OK_SUB);
    assertJson(join(c.subscribe(filtered("deviceConn", device("k02"), "status == 2"))), OK_SUB);
    assertJson(join(c.subscribe(filtered("deviceConn", device("k02"), "status == 2"))), OK_SUB);

    long both = conn("k02", 2);
    untilSeq(c, both);
    assertJson(join(c.unsubscribe(sub("deviceConn", device("k02")))), OK_UNSUB);
    long online = conn("k02", 1);
    long offline = conn("k02", 2);
    untilSeq(c, offline);
    assertJson(join(c.unsubscribe(filtered("deviceConn", device("k02"), "status == 1"))), OK_UNSUB);
    assertJson(join(c.unsubscribe(filtered("deviceConn", device("k02"), "status == 2"))), OK_UNSUB);
    long after = conn("k02", 2);
    pingPong(c);

    assertThat(seqs(pushesOf(c, "k02")))
        .as("once while both held; then only the filtered one; nothing after its up.unSub")
        .containsExactly(both, offline)
        .doesNotContain(online, after);
  }

  @Test
  void overlappingSubscriptionsPushAnEventOnce() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe(filtered("deviceConn", params("projectID", "p2"), "status == 2"))),
        OK_SUB);
    assertJson(join(c.subscribe(filtered("deviceConn", device("k03"), "status > 0"))), OK_SUB);
    assertJson(join(c.subscribe(sub("deviceConn", device("k03")))), OK_SUB);

    long offline = conn("k03", 2);
    long online = conn("k03", 1);
    untilSeq(c, online);
    pingPong(c);

    assertThat(seqs(pushesOf(c, "k03"))).containsExactly(offline, online);
  }

  @Test
  void aReplayWithSinceCarriesOnlyWhatPasses() {
    long first = conn("k04", 1);
    long offline1 = conn("k04", 2);
    conn("k04", 1);
    long offline2 = conn("k04", 2);

    Connection c = server.connectAs("alice");
    JsonNode reply =
        join(
            c.subscribe(
                filtered("deviceConn", device("k04"), "status == 2").put("since", first - 1)));
    assertJson(reply, RECOVERED);
    conn("k04", 1);
    long live = conn("k04", 2);
    untilSeq(c, live);
    pingPong(c);

    assertThat(seqs(filter(framesAfter(c, reply), Subs::isPush)))
        .containsExactly(offline1, offline2, live);
  }

  @Test
  void aSnapshotCarriesOnlyTheLatestValuesThatPass() {
    v1("k05", "temp", 20);
    long hum = v1("k05", "hum", 40);
    Connection c = server.connectAs("alice");

    JsonNode one =
        join(
            c.subscribe(
                filtered("devicePropertyReport", device("k05"), "param > 30")
                    .put("snapshot", true)));
    JsonNode none =
        join(
            c.subscribe(
                filtered("devicePropertyReportV2", device("k05"), "params.temp > 30")
                    .put("snapshot", true)));
    JsonNode whole =
        join(
            c.subscribe(
                filtered("devicePropertyReportV2", device("k05"), "params.hum > 30")
                    .put("snapshot", true)));
    pingPong(c);

    List<JsonNode> afterOne = framesAfter(c, one);
    assertThat(afterOne.get(0).path("body").path("identifier").asText()).isEqualTo("hum");
    assertThat(afterOne.get(0).path("seq").asLong()).isEqualTo(hum);
    assertThat(afterOne.get(1)).as("nothing of temp, then the next reply").isSameAs(none);
    assertThat(framesAfter(c, none).get(0)).as("the V2 snapshot fails: temp is 20").isSameAs(whole);
    assertThat(framesAfter(c, whole).get(0).path("body").path("params").toString())
        .isEqualTo("{\"hum\":40,\"temp\":20}");
  }

  /** Throttled and filtered: the newest value that passes, never one that does not. */
  @Test
  void aThrottledStreamCarriesTheNewestValueThatPasses() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe(
                filtered("devicePropertyReport", property("k06", "temp"), "param > 30")
                    .put("throttleMs", 300))),
        OK_SUB);

    for (int v : new int[] {40, 50, 5, 60, 70, 6}) {
      v1("k06", "temp", v);
    }
    Waits.await()
        .alias("temp 70 of k06")
        .until(
            () ->
                pushesOf(c, "k06").stream()
                    .anyMatch(p -> p.get("body").get("param").asInt() == 70));
    // A throttled stream of the same connection started now: its second value comes only once
    // every earlier interval of this connection ended, so nothing of k06 is still on its way.
    assertJson(
        join(
            c.subscribe(
                sub("devicePropertyReport", property("k12", "label")).put("throttleMs", 300))),
        OK_SUB);
    v1("k12", "label", "\"b1\"");
    untilSeq(c, v1("k12", "label", "\"b2\""));

    List<Integer> values =
        pushesOf(c, "k06").stream().map(p -> p.get("body").get("param").asInt()).toList();
    assertThat(values).allMatch(v -> v > 30).isSortedAccordingTo(Integer::compare);
    assertThat(values.get(values.size() - 1)).isEqualTo(70);
  }

  @Test
  void aFilterFailingOnAnEventIsFalseForItCountedAndTheConnectionStays() {
    double before = server.metric("thingpush_filter_errors_total");
    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe(
                filtered("devicePropertyReport", property("k07", "temp"), "100 / param > 10"))),
        OK_SUB);

    v1("k07", "temp", 0);
    long passes = v1("k07", "temp", 5);
    untilSeq(c, passes);
    pingPong(c);

    assertThat(seqs(pushesOf(c, "k07"))).containsExactly(passes);
    assertThat(server.metric("thingpush_filter_errors_total") - before).isEqualTo(1);
    assertThat(c.isOpen()).isTrue();
  }

  static Stream<Arguments> badFilters() {
    return Stream.of(
        Arguments.of("1", "body.filter must be a string"),
        Arguments.of("null", "body.filter must be a string"),
        Arguments.of("[\"status == 2\"]", "body.filter must be a string"),
        Arguments.of("\"  \"", "body.filter is empty"),
        Arguments.of("\"status ==\"", "filter 1:10"),
        Arguments.of("\"temp > 30\"", "undeclared reference to 'temp'"),
        Arguments.of("\"status\"", "filter must be true or false"),
        // Nothing outside the event's body: not its seq, its tenant, nor any function of ours.
        Arguments.of("\"seq > 0\"", "undeclared reference to 'seq'"),
        Arguments.of("\"tenantCode == 'default'\"", "undeclared reference to 'tenantCode'"),
        Arguments.of("\"now() > timestamp\"", "undeclared reference to 'now'"));
  }

  @ParameterizedTest(name = "filter {0}")
  @MethodSource("badFilters")
  void aBadFilterIs100006NamingIt(String filter, String named) {
    Connection c = server.connectAs("alice");
    JsonNode body =
        Jsons.json(
            "{\"code\":\"deviceConn\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"k08\"},"
                + "\"filter\":"
                + filter
                + "}");

    JsonNode reply = join(c.subscribe(body));

    assertThat(reply.path("code").asInt()).as("%s", reply).isEqualTo(100006);
    assertThat(reply.path("msg").asText()).contains(named);
  }

  @Test
  void aFilterOverOneThousandAndTwentyFourCharactersIs100015() {
    Connection c = server.connectAs("alice");
    String longest = "status == 2" + " ".repeat(1024 - 11);

    assertJson(join(c.subscribe(filtered("deviceConn", device("k08"), longest))), OK_SUB);
    JsonNode reply = join(c.subscribe(filtered("deviceConn", device("k08"), longest + " ")));

    assertThat(reply.path("code").asInt()).as("%s", reply).isEqualTo(100015);
    assertThat(reply.path("msg").asText()).contains("body.filter").contains("1024");
  }

  /** A bad filter is a malformed option: it answers before a device that does not exist. */
  @Test
  void aBadFilterIsAFormErrorCheckedBeforeTheDevice() {
    Connection c = server.connectAs("alice");

    JsonNode reply =
        join(c.subscribe(filtered("deviceConn", device("no-such-device"), "status ==")));

    assertThat(reply.path("code").asInt()).as("%s", reply).isEqualTo(100006);
  }

  /** Messages are answered in order while a filter compiles: an up.unSub right behind its up.sub ends it. */
  @Test
  void anUnSubRightBehindItsSubEndsIt() {
    Connection c = server.connectAs("alice");
    String unseen = "status == 2 && timestamp > " + System.nanoTime();

    c.subscribe(filtered("deviceConn", device("k09"), unseen));
    assertJson(join(c.unsubscribe(filtered("deviceConn", device("k09"), unseen))), OK_UNSUB);
    long offline = conn("k09", 2);
    assertJson(join(c.subscribe(sub("deviceConn", device("k10")))), OK_SUB);
    long marker = conn("k10", 2);
    untilSeq(c, marker);

    assertThat(seqs(pushesSoFar(c))).containsExactly(marker).doesNotContain(offline);
  }
}
