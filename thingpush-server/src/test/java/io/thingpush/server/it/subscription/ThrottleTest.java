package io.thingpush.server.it.subscription;

import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.Subs.OK_UNSUB;
import static io.thingpush.server.it.Subs.device;
import static io.thingpush.server.it.Subs.filter;
import static io.thingpush.server.it.Subs.framesAfter;
import static io.thingpush.server.it.Subs.isPush;
import static io.thingpush.server.it.Subs.property;
import static io.thingpush.server.it.Subs.seqs;
import static io.thingpush.server.it.Subs.sub;
import static io.thingpush.server.it.Subs.untilSeq;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.Subs;
import io.thingpush.server.it.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §2 {@code throttleMs}: the first value of a quiet stream at once, then at most one push per
 * device and property per interval carrying the newest value, the last value of a burst always;
 * streams throttled independently; nothing after {@code down.unSubRet}; an unthrottled
 * subscription of the same connection gets every value.
 *
 * <p>No assertion is about time. Counts are bounded by the burst's own duration: if {@code D} ms
 * passed from before the first value was published until its last value was seen pushed, a
 * stream may have had at most {@code 1 + D / interval} pushes (the first at once, then one per
 * ended interval, the k-th ending no sooner than k intervals after the first push), whatever
 * the machine's speed. "Nothing more came" is
 * checked with a {@link #barrier}: a throttled stream of the same connection started later,
 * whose second value can only arrive once every earlier interval of that connection ended.
 */
class ThrottleTest {
  private static final int INTERVAL = 300;
  @RegisterExtension static final TestServer server = TestServer.forClass();

  @Test
  void aBurstGivesTheFirstValueThenAtMostOnePerIntervalAndAlwaysTheLast() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe(
                sub("devicePropertyReport", property("k01", "temp")).put("throttleMs", INTERVAL))),
        OK_SUB);

    Burst burst = new Burst();
    for (int i = 1; i <= 20; i++) {
      burst.add("k01", "temp", v1("k01", "temp", i));
    }
    untilSeq(c, burst.last("k01", "temp"));
    burst.end();
    barrier(c, "k12", INTERVAL);

    burst.assertThrottled(c, "k01", "temp");
  }

  @Test
  void devicesAndPropertiesAreThrottledIndependently() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe(
                sub("devicePropertyReport", params("projectID", "p2"))
                    .put("throttleMs", INTERVAL))),
        OK_SUB);

    Burst burst = new Burst();
    for (int i = 1; i <= 10; i++) {
      burst.add("k03", "temp", v1("k03", "temp", i));
      burst.add("k03", "hum", v1("k03", "hum", i));
      burst.add("k04", "temp", v1("k04", "temp", i));
    }
    for (String stream : List.of("k03/temp", "k03/hum", "k04/temp")) {
      String[] dp = stream.split("/");
      untilSeq(c, burst.last(dp[0], dp[1]));
    }
    burst.end();
    barrier(c, "k12", INTERVAL);

    burst.assertThrottled(c, "k03", "temp");
    burst.assertThrottled(c, "k03", "hum");
    burst.assertThrottled(c, "k04", "temp");
  }

  /** V2 is throttled per device: the reports of one device form one stream. */
  @Test
  void v2ReportsAreThrottledPerDevice() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe(sub("devicePropertyReportV2", device("k05")).put("throttleMs", INTERVAL))),
        OK_SUB);
    assertJson(
        join(c.subscribe(sub("devicePropertyReportV2", device("k06")).put("throttleMs", INTERVAL))),
        OK_SUB);

    Burst burst = new Burst();
    for (int i = 1; i <= 10; i++) {
      burst.add("k05", "", v2("k05", "{\"temp\":" + i + "}"));
      burst.add("k05", "", v2("k05", "{\"hum\":" + i + "}"));
      burst.add("k06", "", v2("k06", "{\"temp\":" + i + ",\"hum\":" + i + "}"));
    }
    untilSeq(c, burst.last("k05", ""));
    untilSeq(c, burst.last("k06", ""));
    burst.end();
    barrier(c, "k12", INTERVAL);

    burst.assertThrottled(c, "k05", "");
    burst.assertThrottled(c, "k06", "");
    // the last push of k05 is its last report: the newest value, not a merge
    List<JsonNode> k05 = filter(pushesSoFar(c), Subs.ofDevice("k05"));
    assertThat(k05.get(k05.size() - 1).get("body").get("params").toString())
        .isEqualTo("{\"hum\":10}");
  }

  /**
   * temp 2 waits for the end of temp 1's interval when the subscription ends: nothing of k07
   * arrives after {@code down.unSubRet}. The barrier's interval starts after the unsubscribe, so
   * when its second value arrived the interval of temp 2 had ended. (A long interval, so that
   * temp 2 still waits when the unsubscribe comes, also on a slow machine; if it does not, temp
   * 2 may rightly arrive before the reply.)
   */
  @Test
  void aValueWaitingInTheThrottleIsNotPushedAfterTheUnsubscribe() {
    int interval = 1000;
    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe(
                sub("devicePropertyReport", property("k07", "temp")).put("throttleMs", interval))),
        OK_SUB);
    long first = v1("k07", "temp", 1);
    untilSeq(c, first);
    v1("k07", "temp", 2);

    JsonNode unsub = join(c.unsubscribe("devicePropertyReport", property("k07", "temp")));
    assertJson(unsub, OK_UNSUB);
    barrier(c, "k08", interval);

    assertThat(filter(framesAfter(c, unsub), f -> isPush(f) && Subs.ofDevice("k07").test(f)))
        .as("pushes of k07 after down.unSubRet")
        .isEmpty();
  }

  /**
   * A throttled project subscription and an unthrottled one for temp of k09 on one connection:
   * temp is pushed every time, exactly once; hum (only the throttled one matches) is throttled.
   */
  @Test
  void anUnthrottledOverlappingSubscriptionGetsEveryValueOnce() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe(
                sub("devicePropertyReport", params("projectID", "p2"))
                    .put("throttleMs", INTERVAL))),
        OK_SUB);
    assertJson(join(c.subscribe(sub("devicePropertyReport", property("k09", "temp")))), OK_SUB);

    Burst burst = new Burst();
    for (int i = 1; i <= 15; i++) {
      burst.add("k09", "temp", v1("k09", "temp", i));
      burst.add("k09", "hum", v1("k09", "hum", i));
    }
    untilSeq(c, burst.last("k09", "temp"));
    untilSeq(c, burst.last("k09", "hum"));
    burst.end();
    barrier(c, "k12", INTERVAL);

    assertThat(seqs(filter(pushesSoFar(c), Burst.stream("k09", "temp"))))
        .as("every temp value, once, in order")
        .containsExactlyElementsOf(burst.published("k09", "temp"));
    burst.assertThrottled(c, "k09", "hum");
  }

  /**
   * V2, throttled per device, with an unthrottled subscription to temp of the same device. hum 1
   * goes at once; hum 2 waits for the end of the interval; then a report of temp and hum 3 goes
   * at once (the unthrottled subscription matches it). hum 2 is older than what the client
   * already has: pushing it at the end of the interval would leave the client on a stale value.
   */
  @Test
  void aValueWaitingInTheThrottleNeverOvertakesANewerPushOfTheSameDevice() {
    int interval = 1000; // the three reports must fall into one interval, also on a slow machine
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe(sub("devicePropertyReportV2", device("k10")).put("throttleMs", interval))),
        OK_SUB);
    assertJson(join(c.subscribe(sub("devicePropertyReportV2", property("k10", "temp")))), OK_SUB);

    long hum1 = v2("k10", "{\"hum\":1}");
    long hum2 = v2("k10", "{\"hum\":2}");
    long newest = v2("k10", "{\"temp\":5,\"hum\":3}");
    untilSeq(c, newest);
    barrier(c, "k11", interval);

    List<JsonNode> k10 = filter(pushesSoFar(c), Subs.ofDevice("k10"));
    assertThat(seqs(k10))
        .as("pushes of k10 (hum 1 = %d, hum 2 = %d, temp 5 + hum 3 = %d)", hum1, hum2, newest)
        .isSorted()
        .doesNotHaveDuplicates()
        .endsWith(newest);
    assertThat(k10.get(k10.size() - 1).get("body").get("params").get("hum").asInt())
        .as("the client's last hum of k10")
        .isEqualTo(3);
  }

  /** The same for devicePropertyReport: the unthrottled subscription comes while temp 2 waits. */
  @Test
  void aValueWaitingInTheThrottleNeverOvertakesANewerPushOfTheSameProperty() {
    int interval = 1000;
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe(sub("devicePropertyReport", device("1001")).put("throttleMs", interval))),
        OK_SUB);

    long t1 = v1("1001", "temp", 1);
    untilSeq(c, t1);
    long t2 = v1("1001", "temp", 2);
    assertJson(join(c.subscribe(sub("devicePropertyReport", property("1001", "temp")))), OK_SUB);
    long t3 = v1("1001", "temp", 3);
    untilSeq(c, t3);
    barrier(c, "k11", interval);

    List<JsonNode> temps = filter(pushesSoFar(c), Burst.stream("1001", "temp"));
    assertThat(seqs(temps))
        .as("pushes of temp (1 = %d, 2 = %d, 3 = %d)", t1, t2, t3)
        .isSorted()
        .doesNotHaveDuplicates()
        .endsWith(t3);
  }

  // ---- helpers

  /**
   * Returns once every throttle interval the connection started before this call has ended: a
   * throttled subscription to {@code label} of {@code device} gets two quick values; the second
   * waits for the end of an interval that started after all earlier ones (one event loop runs a
   * connection's timers in deadline order).
   */
  private static void barrier(Connection c, String device, int interval) {
    assertJson(
        join(
            c.subscribe(
                sub("devicePropertyReport", property(device, "label"))
                    .put("throttleMs", interval))),
        OK_SUB);
    long first =
        server.publish(
            "devicePropertyReport", "prodA", device, "{\"identifier\":\"label\",\"param\":\"b1\"}");
    long second =
        server.publish(
            "devicePropertyReport", "prodA", device, "{\"identifier\":\"label\",\"param\":\"b2\"}");
    untilSeq(c, first);
    untilSeq(c, second);
  }

  private static long v1(String deviceName, String identifier, int value) {
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

  /**
   * The seqs of a burst by stream (device and identifier; identifier "" for V2), and the time
   * from its start until {@link #end()}, called once the last value of every stream was seen.
   */
  private static final class Burst {
    private final Map<String, List<Long>> seqs = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private long millis = -1;

    void add(String device, String identifier, long seq) {
      seqs.computeIfAbsent(device + "/" + identifier, k -> new ArrayList<>()).add(seq);
    }

    void end() {
      millis = (System.nanoTime() - startNanos) / 1_000_000;
    }

    List<Long> published(String device, String identifier) {
      return seqs.get(device + "/" + identifier);
    }

    long last(String device, String identifier) {
      List<Long> s = published(device, identifier);
      return s.get(s.size() - 1);
    }

    static Predicate<JsonNode> stream(String device, String identifier) {
      return p ->
          Subs.ofDevice(device).test(p)
              && (identifier.isEmpty()
                  || identifier.equals(p.path("body").path("identifier").asText()));
    }

    /**
     * The stream's pushes: the first value, then a subsequence of the burst in order, ending with
     * its last value, at most {@code 1 + millis / INTERVAL} in all.
     */
    void assertThrottled(Connection c, String device, String identifier) {
      List<Long> published = published(device, identifier);
      List<Long> pushed = seqs(filter(pushesSoFar(c), stream(device, identifier)));
      String what =
          device
              + "/"
              + identifier
              + " pushed "
              + pushed
              + " of "
              + published
              + " within "
              + millis
              + " ms";
      assertThat(pushed).as(what).isNotEmpty().isSorted().doesNotHaveDuplicates();
      assertThat(published).as(what).containsAll(pushed);
      assertThat(pushed.get(0)).as("first push of " + what).isEqualTo(published.get(0));
      assertThat(pushed.get(pushed.size() - 1))
          .as("last push of " + what)
          .isEqualTo(published.get(published.size() - 1));
      assertThat((long) pushed.size())
          .as("count of " + what)
          .isLessThanOrEqualTo(1 + millis / INTERVAL);
    }
  }
}
