package io.thingpush.core.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.Event;
import io.thingpush.core.filter.FilterCompiler;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.Payloads;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub and the sending side of each connection, with the real core and a fake transport
 * that records frames, flushes and closes (STYLE 3, 4, 5, 10).
 */
class HubTest {
  private static final String PRODUCT = "k0";
  private static final String PROJECT = "p-plant";

  /** d1 and d2 sit in a-line1, under a-hall, under a-site. */
  private static final List<String> AREA_PATH = List.of("a-line1", "a-hall", "a-site");

  private static final long TS = 1_717_000_000_000L;

  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService otherLoop = Executors.newSingleThreadScheduledExecutor();
  private final Hub hub = new Hub();
  private final List<FakeTransport> transports = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (FakeTransport t : transports) {
      t.assertOnlyCalledOnItsExecutor();
    }
    loop.shutdownNow();
    otherLoop.shutdownNow();
    assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(otherLoop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Counts what the fan-out reports. */
  private static final class Metrics implements FanoutMetrics {
    final AtomicInteger pushed = new AtomicInteger();
    final AtomicInteger conflated = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger filterFailed = new AtomicInteger();

    @Override
    public void filterFailed() {
      filterFailed.incrementAndGet();
    }

    @Override
    public void pushed(long nanos, int frames) {
      pushed.addAndGet(frames);
    }

    @Override
    public void conflated() {
      conflated.incrementAndGet();
    }

    @Override
    public void dropped(int frames) {
      dropped.addAndGet(frames);
    }
  }

  private static <T> T on(ScheduledExecutorService executor, Callable<T> action) throws Exception {
    return executor.submit(action).get(10, TimeUnit.SECONDS);
  }

  private static void on(ScheduledExecutorService executor, Runnable action) throws Exception {
    executor.submit(action).get(10, TimeUnit.SECONDS);
  }

  /** Waits until every task handed to the loops so far has run. */
  private void settle() throws Exception {
    on(loop, () -> {});
    on(otherLoop, () -> {});
  }

  private FakeTransport transport(ScheduledExecutorService executor) throws Exception {
    FakeTransport t = new FakeTransport(executor).pinThread();
    transports.add(t);
    return t;
  }

  private static Recipient recipient(FakeTransport t, Lang lang, Delivery delivery) {
    return new Recipient(t, lang, delivery);
  }

  private static Recipient recipient(FakeTransport t) {
    return recipient(t, Lang.ZH, new Delivery(1_000, 1_000_000, FanoutMetrics.NONE));
  }

  private static Subscription subscription(SubCode code, Target target) {
    return new Subscription(new SubKey(code, target), Json.object(), 0, null);
  }

  private boolean subscribe(Recipient r, SubCode code, Target target) throws Exception {
    return on(r.executor(), () -> hub.subscribe(r, subscription(code, target)));
  }

  private void publish(Event... events) throws Exception {
    for (Event e : events) {
      hub.publish(e);
    }
    settle();
  }

  private static Event event(long seq, SubCode code, String device, String payload) {
    ObjectNode body =
        Payloads.body(
            code,
            PRODUCT,
            device,
            Json.parseOrNull(payload),
            TS,
            () -> "0af7651916cd43dd8448eb211c80319c");
    return new Event(
        seq, code, "default", PRODUCT, device, PROJECT, AREA_PATH, body, System.nanoTime());
  }

  private static Event conn(long seq, String device, int status) {
    return event(
        seq, SubCode.DEVICE_CONN, device, "{\"status\":" + status + ",\"timestamp\":" + TS + "}");
  }

  private static Event property(long seq, String device, String identifier, Object value) {
    return event(
        seq,
        SubCode.DEVICE_PROPERTY_REPORT,
        device,
        "{\"identifier\":\"" + identifier + "\",\"param\":" + value + ",\"timestamp\":" + TS + "}");
  }

  private static Event v2(long seq, String device, String params) {
    return event(
        seq,
        SubCode.DEVICE_PROPERTY_REPORT_V2,
        device,
        "{\"params\":" + params + ",\"timestamp\":" + TS + "}");
  }

  private static long seqOf(String frame) {
    return Json.parseOrNull(frame).get("seq").asLong();
  }

  private static List<Long> seqs(FakeTransport t) {
    return t.writtenTexts().stream().map(HubTest::seqOf).toList();
  }

  // ---- matching ------------------------------------------------------------------------------

  /** A {shareDevice: true} subscription routed to the shared devices {@code names}. */
  private Subscription shares(Recipient r, SubCode code, String... names) throws Exception {
    Subscription s = new Subscription(SubKey.shares(code), Json.object(), 0, null);
    on(r.executor(), () -> hub.subscribe(r, s));
    follow(r, s, names);
    return s;
  }

  private void follow(Recipient r, Subscription s, String... names) {
    hub.follow(
        r,
        s,
        () -> {
          java.util.Set<SubKey> routes = new java.util.HashSet<>();
          for (String name : names) {
            routes.add(new SubKey(s.key().code(), Target.sharedDevice(PRODUCT, name)));
          }
          return routes;
        });
  }

  @Test
  void aShareSubscriptionReachesTheSharedDevicesAndFollowsTheShares() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Subscription s = shares(r, SubCode.DEVICE_CONN, "d1");

    publish(conn(1, "d1", 1), conn(2, "d2", 1));
    follow(r, s, "d2"); // shared with the user later, d1 no longer
    publish(conn(3, "d1", 2), conn(4, "d2", 2));

    assertThat(seqs(t)).containsExactly(1L, 4L);
    assertThat(hub.subscriptionCount(SubCode.DEVICE_CONN))
        .as("one subscription, however many devices")
        .isEqualTo(1);
  }

  @Test
  void aShareAndADeviceSubscriptionOfTheSameDeviceSendItOnce() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    shares(r, SubCode.DEVICE_CONN, "d1");
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));

    publish(conn(1, "d1", 1));

    assertThat(seqs(t)).containsExactly(1L);
  }

  @Test
  void anEndedShareSubscriptionNoLongerRoutesNorFollows() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Subscription s = shares(r, SubCode.DEVICE_CONN, "d1");

    assertThat(on(r.executor(), () -> hub.unsubscribe(r, s))).isTrue();
    follow(r, s, "d1", "d2"); // a registry change racing the end
    publish(conn(1, "d1", 1), conn(2, "d2", 1));

    assertThat(t.writtenTexts()).isEmpty();
    assertThat(hub.keyCount()).isZero();
  }

  @Test
  void actionReportsMatchTheirActionIdAsIdentifier() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_ACTION_REPORT, Target.property(PRODUCT, "d1", "reboot"));
    String call =
        "{\"actionID\":\"%s\",\"dir\":\"down\",\"reqType\":\"req\",\"timestamp\":" + TS + "}";

    publish(
        event(1, SubCode.DEVICE_ACTION_REPORT, "d1", call.formatted("reboot")),
        event(2, SubCode.DEVICE_ACTION_REPORT, "d1", call.formatted("blink")));

    assertThat(seqs(t)).containsExactly(1L);
  }

  @Test
  void anEventReachesAConnectionOnceWhenDeviceProjectAndAreaSubscriptionsAllMatch()
      throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    subscribe(r, SubCode.DEVICE_CONN, Target.area(PROJECT, "a-line1"));
    subscribe(r, SubCode.DEVICE_CONN, Target.area(PROJECT, "a-site"));

    publish(conn(1, "d1", 1));

    assertThat(t.writtenTexts())
        .containsExactly(
            "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.pub\",\"path\":\"deviceConn\",\"seq\":1,"
                + "\"body\":{\"device\":{\"productID\":\"k0\",\"deviceName\":\"d1\"},"
                + "\"timestamp\":\"1717000000000\",\"status\":1}}");
    assertThat(t.flushes()).isEqualTo(1);
  }

  @Test
  void aPropertyEventReachesAConnectionOnceWhenPropertyDeviceAndProjectSubscriptionsAllMatch()
      throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT, Target.property(PRODUCT, "d1", "temp"));
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT, Target.device(PRODUCT, "d1"));
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT, Target.area(PROJECT, "a-hall"));
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT, Target.project(PROJECT));

    publish(property(1, "d1", "temp", 23.5));

    assertThat(t.writtenTexts())
        .containsExactly(
            "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.pub\",\"path\":\"devicePropertyReport\",\"seq\":1,"
                + "\"body\":{\"device\":{\"productID\":\"k0\",\"deviceName\":\"d1\"},"
                + "\"timestamp\":\"1717000000000\",\"identifier\":\"temp\",\"param\":23.5}}");
  }

  @Test
  void subscriptionsOfAnotherCodeDeviceOrAreaGetNothing() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PUBLISH, Target.device(PRODUCT, "d1"));
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d2"));
    subscribe(r, SubCode.DEVICE_CONN, Target.area(PROJECT, "a-office"));
    subscribe(r, SubCode.DEVICE_CONN, Target.project("p-other"));

    publish(conn(1, "d1", 1));

    assertThat(t.written()).isEmpty();
    assertThat(t.flushes()).isZero();
  }

  @Test
  void aPropertySubscriptionGetsOnlyThatProperty() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT, Target.property(PRODUCT, "d1", "temp"));

    publish(
        property(1, "d1", "temp", 20), property(2, "d1", "hum", 40), property(3, "d2", "temp", 21));

    assertThat(seqs(t)).containsExactly(1L);
  }

  @Test
  void v2IdentifierSubscriptionGetsOnlyThatProperty() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "temp"));
    Event event = v2(1, "d1", "{\"temp\":23.5,\"hum\":40}");

    publish(event);

    assertThat(t.writtenTexts())
        .containsExactly(
            "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.pub\",\"path\":\"devicePropertyReportV2\",\"seq\":1,"
                + "\"body\":{\"device\":{\"productID\":\"k0\",\"deviceName\":\"d1\"},"
                + "\"timestamp\":\"1717000000000\",\"params\":{\"temp\":23.5}}}");
    assertThat(event.body().get("params").has("hum"))
        .as("the event itself is not modified")
        .isTrue();
  }

  @Test
  void v2IdentifierSubscriptionGetsNothingWhenTheReportLacksThatProperty() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "temp"));

    publish(v2(1, "d1", "{\"hum\":40,\"co2\":410}"));

    assertThat(t.written()).isEmpty();
    assertThat(t.flushes()).isZero();
  }

  @Test
  void v2SeveralIdentifierSubscriptionsGetTheirPropertiesInOnePush() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "temp"));
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "hum"));

    publish(v2(1, "d1", "{\"temp\":23.5,\"hum\":40,\"co2\":410}"));

    assertThat(t.written()).hasSize(1);
    assertThat(Json.parseOrNull(t.writtenTexts().get(0)).get("body").get("params"))
        .isEqualTo(Json.parseOrNull("{\"temp\":23.5,\"hum\":40}"));
  }

  @Test
  void wholeDeviceV2SubscriptionBeatsTheIdentifierFilter() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "temp"));
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.device(PRODUCT, "d1"));

    publish(v2(1, "d1", "{\"temp\":23.5,\"hum\":40}"));

    assertThat(t.writtenTexts())
        .containsExactly(
            "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.pub\",\"path\":\"devicePropertyReportV2\",\"seq\":1,"
                + "\"body\":{\"device\":{\"productID\":\"k0\",\"deviceName\":\"d1\"},"
                + "\"timestamp\":\"1717000000000\",\"params\":{\"temp\":23.5,\"hum\":40}}}");
  }

  @Test
  void wholeProjectV2SubscriptionAlsoBeatsTheIdentifierFilter() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "temp"));
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.project(PROJECT));

    publish(v2(1, "d1", "{\"temp\":23.5,\"hum\":40}"));

    assertThat(t.written()).hasSize(1);
    assertThat(Json.parseOrNull(t.writtenTexts().get(0)).get("body").get("params"))
        .isEqualTo(Json.parseOrNull("{\"temp\":23.5,\"hum\":40}"));
  }

  // ---- subscribe / unsubscribe ---------------------------------------------------------------

  @Test
  void subscribingTwiceNeverDoublesPushes() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);

    assertThat(subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"))).isTrue();
    assertThat(subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"))).isFalse();
    publish(conn(1, "d1", 1));

    assertThat(t.written()).hasSize(1);
    assertThat(hub.subscriptionCount()).isEqualTo(1);
    assertThat(hub.keyCount()).isEqualTo(1);
  }

  @Test
  void unsubscribeStopsDelivery() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    SubKey key = new SubKey(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    publish(conn(1, "d1", 1));

    assertThat(on(loop, () -> hub.unsubscribe(r, r.subscription(key, null)))).isTrue();
    publish(conn(2, "d1", 2));

    assertThat(seqs(t)).containsExactly(1L);
    assertThat(hub.subscriptionCount()).isZero();
    assertThat(hub.keyCount()).isZero();
    assertThat(on(loop, () -> r.subscription(key, null))).isNull();
  }

  @Test
  void unsubscribeOfOneSubscriptionKeepsTheOthers() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));

    on(
        loop,
        () ->
            hub.unsubscribe(
                r,
                r.subscription(
                    new SubKey(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1")), null)));
    publish(conn(1, "d1", 1));

    assertThat(seqs(t)).containsExactly(1L);
    assertThat(hub.subscriptionCount()).isEqualTo(1);
  }

  @Test
  void unsubscribeOfWhatIsNotHeldReturnsFalse() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Recipient other = recipient(transport(loop));
    subscribe(other, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));

    assertThat(
            on(
                loop,
                () ->
                    hub.unsubscribe(
                        r, subscription(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1")))))
        .isFalse();
    assertThat(hub.subscriptionCount()).isEqualTo(1);
    assertThat(hub.keyCount()).isEqualTo(1);
  }

  @Test
  void removeAllEndsEverySubscriptionOfAConnection() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Recipient other = recipient(transport(loop));
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    subscribe(other, SubCode.DEVICE_CONN, Target.project(PROJECT));

    on(loop, () -> hub.removeAll(r));
    publish(conn(1, "d1", 1));

    assertThat(t.written()).isEmpty();
    assertThat(hub.subscriptionCount()).isEqualTo(1);
    assertThat(hub.keyCount()).isEqualTo(1);
  }

  @Test
  void liveEventsUpToTheSeamAreSkipped() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Subscription s = subscription(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    on(
        loop,
        () -> {
          hub.subscribe(r, s);
          s.startLiveAfter(5);
        });

    publish(conn(4, "d1", 1), conn(5, "d1", 2), conn(6, "d1", 1));

    assertThat(seqs(t)).containsExactly(6L);
  }

  @Test
  void aRepeatedSubscribeWithoutSinceKeepsWhereTheSubscriptionStarted() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Subscription s = subscription(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    on(
        loop,
        () -> {
          hub.subscribe(r, s);
          s.startLiveAfter(3);
          s.startLiveAfter(5); // subscribed again while seq 4 and 5 were on their way
        });

    publish(conn(4, "d1", 1), conn(5, "d1", 2));

    assertThat(seqs(t)).containsExactly(4L, 5L);
    assertThat(s.seam()).isEqualTo(3);
  }

  @Test
  void aLiveEventThatOneSubscriptionsReplaySentIsNotSentAgainThroughAnOverlappingOne()
      throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Subscription device = subscription(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    Subscription project = subscription(SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(
        loop,
        () -> {
          // both resumed from seq 2: the device's replay reached seq 5, the project's (made later)
          // seq 6
          hub.subscribe(r, device);
          device.startLiveAfterReplay(5, 2);
          hub.subscribe(r, project);
          project.startLiveAfterReplay(6, 2);
        });

    publish(conn(6, "d1", 1), conn(7, "d1", 2));

    assertThat(seqs(t)).containsExactly(7L);
  }

  @Test
  void aLiveEventBeforeANewSubscriptionsSeamStillGoesThroughAnOlderOverlappingOne()
      throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Subscription project = subscription(SubCode.DEVICE_CONN, Target.project(PROJECT));
    Subscription device = subscription(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    Subscription resumed = subscription(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d2"));
    on(
        loop,
        () -> {
          hub.subscribe(r, project);
          project.startLiveAfter(0);
          // added while seq 5 and 6 were on their way: d1 without since, d2 with since 6
          hub.subscribe(r, device);
          device.startLiveAfter(6);
          hub.subscribe(r, resumed);
          resumed.startLiveAfterReplay(7, 6);
        });

    publish(conn(5, "d1", 1), conn(6, "d2", 2), conn(7, "d1", 1));

    assertThat(seqs(t)).as("the project subscription owes 5 and 6").containsExactly(5L, 6L, 7L);
  }

  // ---- filters (SPEC §10) -------------------------------------------------------------------

  private static final FilterCompiler FILTERS = new FilterCompiler();

  private static Subscription filtered(SubCode code, Target target, String filter) {
    return new Subscription(
        new SubKey(code, target), Json.object(), 0, FILTERS.compile(code, filter));
  }

  private Subscription subscribe(Recipient r, Subscription s) throws Exception {
    assertThat(on(r.executor(), () -> hub.subscribe(r, s))).isTrue();
    return s;
  }

  @Test
  void aFilteredSubscriptionPushesOnlyWhatPasses() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, filtered(SubCode.DEVICE_CONN, Target.project(PROJECT), "status == 2"));

    publish(conn(1, "d1", 1), conn(2, "d1", 2), conn(3, "d2", 2), conn(4, "d2", 1));

    assertThat(seqs(t)).containsExactly(2L, 3L);
  }

  @Test
  void theSameKeyUnfilteredAndFilteredAreTwoSubscriptionsEachRoutedUntilItEnds() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    Subscription all =
        subscribe(r, subscription(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1")));
    Subscription offline =
        subscribe(r, filtered(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"), "status == 2"));
    assertThat(
            on(
                loop,
                () ->
                    hub.subscribe(
                        r,
                        filtered(
                            SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"), "status == 2"))))
        .as("the same key and filter again")
        .isFalse();
    assertThat(hub.subscriptionCount()).isEqualTo(2);

    publish(conn(1, "d1", 2));
    assertThat(on(loop, () -> hub.unsubscribe(r, all))).isTrue();
    publish(conn(2, "d1", 1), conn(3, "d1", 2));
    assertThat(on(loop, () -> r.subscription(offline.key(), "status == 2"))).isSameAs(offline);
    assertThat(on(loop, () -> hub.unsubscribe(r, offline))).isTrue();
    publish(conn(4, "d1", 2));

    assertThat(seqs(t))
        .as("once while both match, then only the offline ones")
        .containsExactly(1L, 3L);
    assertThat(hub.keyCount()).isZero();
  }

  @Test
  void overlappingFilteredSubscriptionsPushAnEventOnce() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, filtered(SubCode.DEVICE_CONN, Target.project(PROJECT), "status == 2"));
    subscribe(r, filtered(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"), "status > 0"));
    subscribe(r, filtered(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"), "status == 2"));

    publish(conn(1, "d1", 2), conn(2, "d1", 1), conn(3, "d2", 1));

    assertThat(seqs(t)).containsExactly(1L, 2L);
  }

  @Test
  void aFilterThatFailsOnAnEventIsFalseAndCountedAndTheConnectionStays() throws Exception {
    FakeTransport t = transport(loop);
    Metrics metrics = new Metrics();
    Recipient r = recipient(t, Lang.ZH, new Delivery(1_000, 1_000_000, metrics));
    subscribe(
        r, filtered(SubCode.DEVICE_PROPERTY_REPORT, Target.project(PROJECT), "100 / param > 10"));

    publish(
        property(1, "d1", "temp", 0), property(2, "d1", "temp", 5), property(3, "d1", "temp", 50));

    assertThat(seqs(t)).containsExactly(2L);
    assertThat(metrics.filterFailed.get()).isEqualTo(1);
    assertThat(t.closeCode()).isNull();
  }

  @Test
  void aFilterOnAV2IdentifierSubscriptionReadsThePushItSends() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(
        r,
        filtered(
            SubCode.DEVICE_PROPERTY_REPORT_V2,
            Target.property(PRODUCT, "d1", "temp"),
            "params.temp > 30 || has(params.humidity)"));

    publish(
        v2(1, "d1", "{\"temp\":31,\"humidity\":40}"), v2(2, "d1", "{\"temp\":20,\"humidity\":40}"));

    assertThat(t.writtenTexts()).hasSize(1);
    assertThat(Json.parseOrNull(t.writtenTexts().get(0)).get("body").get("params").toString())
        .isEqualTo("{\"temp\":31}");
  }

  // ---- writes and flushes --------------------------------------------------------------------

  @Test
  void writesAreFlushedOncePerBatchOfEvents() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));

    publish(conn(1, "d1", 1), conn(2, "d1", 2), conn(3, "d1", 1));

    assertThat(seqs(t)).containsExactly(1L, 2L, 3L);
    // events that wait together for the connection's thread go out in one batch, one flush
    assertThat(t.calls()).matches("(w+f)+");
    assertThat(t.flushes()).isBetween(1, 3);
  }

  @Test
  void connectionsSharingALoopAreEachFlushedAfterTheirWrites() throws Exception {
    FakeTransport a = transport(loop);
    FakeTransport b = transport(loop);
    FakeTransport c = transport(otherLoop);
    Recipient ra = recipient(a);
    Recipient rb = recipient(b);
    Recipient rc = recipient(c);
    for (Recipient r : List.of(ra, rb, rc)) {
      subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
      subscribe(r, SubCode.DEVICE_CONN, Target.area(PROJECT, "a-hall"));
    }

    publish(conn(1, "d1", 1), conn(2, "d1", 2));

    for (FakeTransport t : List.of(a, b, c)) {
      assertThat(seqs(t)).containsExactly(1L, 2L);
      assertThat(t.calls()).matches("(w+f)+");
    }
  }

  @Test
  void noFlushWhenNothingWasWritten() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "temp"));

    publish(v2(1, "d1", "{\"hum\":40}"));
    on(loop, r::flush);

    assertThat(t.flushes()).isZero();
  }

  // ---- a transport that is not writable ------------------------------------------------------

  @Test
  void whenNotWritableFramesQueueAndGoOutInOrderOnWritable() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, () -> t.writable(false));

    publish(conn(1, "d1", 1), conn(2, "d2", 1), conn(3, "d1", 2));
    assertThat(t.written()).isEmpty();
    assertThat(t.flushes()).isZero();

    on(
        loop,
        () -> {
          t.writable(true);
          r.onWritable();
        });

    assertThat(seqs(t)).containsExactly(1L, 2L, 3L);
    assertThat(t.calls()).isEqualTo("wwwf");
  }

  @Test
  void anEventArrivingBeforeTheBacklogIsDrainedQueuesBehindIt() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, () -> t.writable(false));
    publish(conn(1, "d1", 1), conn(2, "d2", 1));

    on(loop, () -> t.writable(true));
    publish(conn(3, "d1", 2));
    on(loop, r::onWritable);

    assertThat(seqs(t)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void drainingStopsWhenTheTransportFillsAgainAndResumesLater() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, () -> t.writable(false));
    publish(
        conn(1, "d1", 1), conn(2, "d2", 1), conn(3, "d1", 2), conn(4, "d2", 2), conn(5, "d1", 1));

    on(
        loop,
        () -> {
          t.writableFor(2);
          r.onWritable();
        });
    assertThat(seqs(t)).containsExactly(1L, 2L);
    assertThat(t.calls()).isEqualTo("wwf");

    on(
        loop,
        () -> {
          t.writable(true);
          r.onWritable();
        });
    assertThat(seqs(t)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(t.calls()).isEqualTo("wwfwwwf");
  }

  @Test
  void aReplyIsSentBehindTheQueuedEvents() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, () -> t.writable(false));
    publish(conn(1, "d1", 1));
    byte[] reply =
        "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.pong\"}".getBytes(StandardCharsets.UTF_8);

    on(loop, () -> r.writeAndFlush(reply));
    assertThat(t.written()).isEmpty();
    on(
        loop,
        () -> {
          t.writable(true);
          r.onWritable();
        });

    assertThat(t.written()).hasSize(2);
    assertThat(seqOf(t.writtenTexts().get(0))).isEqualTo(1L);
    assertThat(t.written().get(1)).isSameAs(reply);
  }

  @Test
  void aDevicePropertyReportBacklogKeepsTheNewestValuePerDeviceAndIdentifier() throws Exception {
    FakeTransport t = transport(loop);
    Metrics metrics = new Metrics();
    Recipient r = recipient(t, Lang.ZH, new Delivery(100, 1_000_000, metrics));
    subscribe(r, SubCode.DEVICE_PROPERTY_REPORT, Target.project(PROJECT));
    on(loop, () -> t.writable(false));

    publish(
        property(1, "d1", "temp", 20),
        property(2, "d1", "hum", 40),
        property(3, "d1", "temp", 21),
        property(4, "d2", "temp", 30),
        property(5, "d1", "temp", 22));
    on(
        loop,
        () -> {
          t.writable(true);
          r.onWritable();
        });

    assertThat(seqs(t)).containsExactly(2L, 4L, 5L);
    assertThat(Json.parseOrNull(t.writtenTexts().get(2)).get("body").get("param").asInt())
        .isEqualTo(22);
    assertThat(metrics.conflated).hasValue(2);
  }

  @Test
  void nonPropertyEventsInABacklogAreNeverConflated() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    on(loop, () -> t.writable(false));

    publish(conn(1, "d1", 1), conn(2, "d1", 2), conn(3, "d1", 1), conn(4, "d1", 2));
    on(
        loop,
        () -> {
          t.writable(true);
          r.onWritable();
        });

    assertThat(seqs(t)).containsExactly(1L, 2L, 3L, 4L);
  }

  // ---- a client that cannot keep up ----------------------------------------------------------

  @Test
  void overflowClosesWithTooSlowAndDropsTheQueue() throws Exception {
    FakeTransport t = transport(loop);
    Metrics metrics = new Metrics();
    Recipient r = recipient(t, Lang.ZH, new Delivery(3, 1_000_000, metrics));
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, () -> t.writable(false));

    publish(conn(1, "d1", 1), conn(2, "d1", 2), conn(3, "d1", 1), conn(4, "d1", 2));

    assertThat(t.closes()).isEqualTo(1);
    assertThat(t.closeCode()).isEqualTo(CloseCode.TOO_SLOW);
    assertThat(t.closeCode().code()).isEqualTo(4008);
    assertThat(t.closeReason()).isNotEmpty().matches("[\\x20-\\x7e]{1,123}");
    assertThat(on(loop, r::isClosed)).isTrue();
    assertThat(metrics.dropped).hasValue(3);

    on(
        loop,
        () -> {
          t.writable(true);
          r.onWritable();
        });
    publish(conn(5, "d1", 1));
    on(loop, () -> r.writeAndFlush("{}".getBytes(StandardCharsets.UTF_8)));

    assertThat(t.written()).as("what was queued is dropped, nothing follows the close").isEmpty();
    assertThat(t.closes()).isEqualTo(1);
  }

  @Test
  void framesAlreadyWrittenAreFlushedBeforeTheTooSlowClose() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t, Lang.ZH, new Delivery(1, 1_000_000, FanoutMetrics.NONE));
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, () -> t.writableFor(1));

    // One task per event: seq 1 is written, seq 2 waits, seq 3 overflows.
    publish(conn(1, "d1", 1), conn(2, "d1", 2), conn(3, "d1", 1));

    assertThat(seqs(t)).containsExactly(1L);
    assertThat(t.calls()).isEqualTo("wfc");
    assertThat(t.closeCode()).isEqualTo(CloseCode.TOO_SLOW);
  }

  @Test
  void overflowByBytesAlsoClosesWithTooSlow() throws Exception {
    FakeTransport t = transport(loop);
    Event first = conn(1, "d1", 1);
    int oneFrame = first.frame(Lang.ZH).length;
    Recipient r =
        recipient(
            t, Lang.ZH, new Delivery(1_000, 2L * oneFrame + oneFrame / 2, FanoutMetrics.NONE));
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, () -> t.writable(false));

    publish(first, conn(2, "d1", 2));
    assertThat(t.closes()).isZero();
    publish(conn(3, "d1", 1));

    assertThat(t.closeCode()).isEqualTo(CloseCode.TOO_SLOW);
    assertThat(t.written()).isEmpty();
  }

  @Test
  void aSlowConnectionDoesNotHoldBackAnotherOnTheSameLoop() throws Exception {
    FakeTransport slow = transport(loop);
    FakeTransport fast = transport(loop);
    Recipient rs = recipient(slow, Lang.ZH, new Delivery(2, 1_000_000, FanoutMetrics.NONE));
    Recipient rf = recipient(fast);
    subscribe(rs, SubCode.DEVICE_CONN, Target.project(PROJECT));
    subscribe(rf, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, () -> slow.writable(false));

    publish(conn(1, "d1", 1), conn(2, "d1", 2), conn(3, "d1", 1), conn(4, "d1", 2));

    assertThat(slow.closeCode()).isEqualTo(CloseCode.TOO_SLOW);
    assertThat(seqs(fast)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(fast.closes()).isZero();
  }

  @Test
  void aConnectionThatWentAwayGetsNothingMore() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));

    on(loop, r::onClosed);
    publish(conn(1, "d1", 1));

    assertThat(t.written()).isEmpty();
    assertThat(t.closes())
        .as("the transport closed itself, the core does not close it again")
        .isZero();
  }

  // ---- encode once ---------------------------------------------------------------------------

  @Test
  void everyRecipientOfOneEventGetsTheSameEncodedBytes() throws Exception {
    FakeTransport a = transport(loop);
    FakeTransport b = transport(otherLoop);
    FakeTransport c = transport(loop);
    FakeTransport english = transport(loop);
    subscribe(recipient(a), SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    subscribe(recipient(b), SubCode.DEVICE_CONN, Target.project(PROJECT));
    Recipient rc = recipient(c);
    subscribe(rc, SubCode.DEVICE_CONN, Target.area(PROJECT, "a-line1"));
    subscribe(
        recipient(english, Lang.EN, new Delivery(10, 100_000, FanoutMetrics.NONE)),
        SubCode.DEVICE_CONN,
        Target.project(PROJECT));
    on(loop, () -> c.writable(false));
    Event event = conn(1, "d1", 1);

    publish(event);
    on(
        loop,
        () -> {
          c.writable(true);
          rc.onWritable();
        });

    byte[] shared = a.written().get(0);
    assertThat(b.written().get(0)).isSameAs(shared);
    assertThat(c.written().get(0)).as("also when it waited in the outbox").isSameAs(shared);
    assertThat(shared).isSameAs(event.frame(Lang.ZH));
    assertThat(english.writtenTexts())
        .containsExactly(
            "{\"code\":200,\"msg\":\"success\",\"type\":\"down.pub\",\"path\":\"deviceConn\",\"seq\":1,"
                + "\"body\":{\"device\":{\"productID\":\"k0\",\"deviceName\":\"d1\"},"
                + "\"timestamp\":\"1717000000000\",\"status\":1}}");
  }

  @Test
  void v2RecipientsOfTheSameIdentifierShareTheFilteredBytes() throws Exception {
    FakeTransport a = transport(loop);
    FakeTransport b = transport(otherLoop);
    FakeTransport whole = transport(loop);
    subscribe(
        recipient(a), SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "temp"));
    subscribe(
        recipient(b), SubCode.DEVICE_PROPERTY_REPORT_V2, Target.property(PRODUCT, "d1", "temp"));
    subscribe(recipient(whole), SubCode.DEVICE_PROPERTY_REPORT_V2, Target.device(PRODUCT, "d1"));

    publish(v2(1, "d1", "{\"temp\":23.5,\"hum\":40}"));

    assertThat(b.written().get(0)).isSameAs(a.written().get(0));
    assertThat(whole.written().get(0)).isNotSameAs(a.written().get(0));
    assertThat(Json.parseOrNull(whole.writtenTexts().get(0)).get("body").get("params").size())
        .isEqualTo(2);
  }

  @Test
  void pausedLiveEventsWaitForTheResumeAndKeepTheirOrder() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    subscribe(r, SubCode.DEVICE_CONN, Target.project(PROJECT));
    on(loop, r::pauseLive);

    publish(conn(1, "d1", 1), conn(2, "d1", 2), conn(3, "d2", 1));
    assertThat(seqs(t)).isEmpty();

    on(
        loop,
        () -> {
          r.subscription(new SubKey(SubCode.DEVICE_CONN, Target.project(PROJECT)), null)
              .startLiveAfterReplay(1, 0);
          r.subscription(new SubKey(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1")), null)
              .startLiveAfterReplay(1, 0);
          r.resumeLive();
        });
    assertThat(seqs(t)).as("after the seam, once each, in order").containsExactly(2L, 3L);
  }

  @Test
  void drainingWritesWhatIsQueuedThenCloses() throws Exception {
    FakeTransport t = transport(loop);
    Recipient r = recipient(t);
    subscribe(r, SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1"));
    on(loop, () -> t.writable(false));
    publish(conn(1, "d1", 1), conn(2, "d1", 2));

    on(loop, () -> r.drainThenClose(CloseCode.SHUTDOWN, "server shutting down"));
    publish(conn(3, "d1", 1));
    assertThat(on(loop, t::closes)).isZero();

    on(
        loop,
        () -> {
          t.writable(true);
          r.onWritable();
        });
    assertThat(seqs(t)).as("queued frames go out, nothing new").containsExactly(1L, 2L);
    assertThat(on(loop, t::closeCode)).isEqualTo(CloseCode.SHUTDOWN);
  }
}
