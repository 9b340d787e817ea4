package io.thingpush.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.auth.Authoriser;
import io.thingpush.core.auth.JwtTokenVerifier;
import io.thingpush.core.auth.Principal;
import io.thingpush.core.cluster.ClusterBus;
import io.thingpush.core.cluster.Interests;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceGrant;
import io.thingpush.core.directory.DeviceTable;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.InMemoryEventLog;
import io.thingpush.core.events.LatestValues;
import io.thingpush.core.fanout.Delivery;
import io.thingpush.core.fanout.FakeTransport;
import io.thingpush.core.fanout.FanoutMetrics;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.fanout.Recipient;
import io.thingpush.core.filter.FilterCompiler;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.time.AlarmClock;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.Payloads;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.SubscribeRequest;
import io.thingpush.protocol.Target;
import io.thingpush.protocol.ThingPushException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One connection's subscribes, alone: the real hub, an in-memory log and latest values, and a
 * transport that records frames. Events are appended, then handed to the hub as the node's
 * feed would, or only appended: an event this node never received live.
 */
class ConnectionSubscriptionsTest {
  private static final String PRODUCT = "prod";
  private static final String PROJECT = "p1";
  private static final long TS = 1_717_000_000_000L;
  private static final Principal ALICE =
      new Principal("default", "alice", true, Set.of(), "app", null);

  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final Directory directory =
      Directory.of(
          List.of(new Tenant("default", "Default")),
          List.of(new Project(PROJECT, "default", "Plant")),
          List.of(),
          List.of(new Product(PRODUCT, "default", "Sensor", Json.object())),
          DeviceTable.of(List.of(device("d1"), device("d2"), device("d3"))),
          List.of(),
          List.of(),
          List.of(
              new DeviceGrant("default", "alice", PRODUCT, "d1"),
              new DeviceGrant("default", "alice", PRODUCT, "d2")));
  private final LatestValues latest = new LatestValues();
  private final List<Answered> answers = new ArrayList<>();
  private FakeTransport transport;
  private Recipient recipient;
  private InMemoryEventLog log = new InMemoryEventLog(100, 3_600_000, Clock.systemUTC());
  private Hub hub = new Hub();
  private ConnectionSubscriptions subscriptions;

  /** One answer, with the number of frames written before it. */
  private record Answered(long seq, Boolean recovered, Throwable failure, int framesBefore) {}

  private static Device device(String name) {
    return new Device(PRODUCT, name, "secret", "default", PROJECT, null);
  }

  @AfterEach
  void stop() {
    loop.shutdownNow();
  }

  private void open(int maxSubscriptions) {
    SessionContext context =
        new SessionContext(
            new JwtTokenVerifier("x".repeat(40), Clock.systemUTC()),
            new Authoriser(() -> directory),
            hub,
            log,
            latest,
            () -> directory,
            new SessionLimits(maxSubscriptions, 50, 100, 10_000, 1_000, 1_000_000),
            new ConnectParams(Set.of()),
            new FilterCompiler(),
            Runnable::run,
            AlarmClock.system());
    transport = new FakeTransport(loop);
    recipient =
        new Recipient(transport, Lang.EN, new Delivery(1_000, 1_000_000, FanoutMetrics.NONE));
    subscriptions = new ConnectionSubscriptions(context, recipient, () -> ALICE);
  }

  private <T> T on(Callable<T> action) throws Exception {
    return loop.submit(action).get(10, TimeUnit.SECONDS);
  }

  /** Subscribes on the connection's thread; the answer is recorded in {@link #answers}. */
  private void subscribe(String body) throws Exception {
    SubscribeRequest sub = SubscribeRequest.parse(Json.parseOrNull(body), PROJECT);
    on(
        () -> {
          subscriptions.subscribe(
              sub,
              null,
              new ConnectionSubscriptions.Answer() {
                @Override
                public void subscribed(long seq, Boolean recovered) {
                  answers.add(new Answered(seq, recovered, null, transport.writtenTexts().size()));
                }

                @Override
                public void failed(Throwable cause) {
                  answers.add(new Answered(-1, null, cause, transport.writtenTexts().size()));
                }
              });
          return null;
        });
  }

  private Event append(SubCode code, String device, String payload) {
    ObjectNode body =
        Payloads.body(
            code,
            PRODUCT,
            device,
            Json.parseOrNull(payload),
            TS,
            () -> "0af7651916cd43dd8448eb211c80319c");
    Event unsequenced =
        new Event(0, code, "default", PRODUCT, device, PROJECT, List.of(), body, System.nanoTime());
    Event event = log.append(unsequenced).toCompletableFuture().join();
    latest.record(event);
    return event;
  }

  private long appended(String device, int status) {
    return append(SubCode.DEVICE_CONN, device, "{\"status\":" + status + "}").seq();
  }

  /** Appended and received live, as the feed hands it to the hub. */
  private long published(String device, int status) throws Exception {
    Event event = append(SubCode.DEVICE_CONN, device, "{\"status\":" + status + "}");
    hub.publish(event);
    on(() -> null);
    return event.seq();
  }

  private long temperature(String device, int value) throws Exception {
    Event event =
        append(
            SubCode.DEVICE_PROPERTY_REPORT,
            device,
            "{\"identifier\":\"temp\",\"param\":" + value + "}");
    hub.publish(event);
    on(() -> null);
    return event.seq();
  }

  private List<Long> seqs() throws Exception {
    return on(
        () ->
            transport.writtenTexts().stream()
                .map(f -> Json.parseOrNull(f).get("seq").asLong())
                .toList());
  }

  private static String conn(String device, String more) {
    return "{\"code\":\"deviceConn\",\"params\":{\"productID\":\""
        + PRODUCT
        + "\",\"deviceName\":\""
        + device
        + "\"}"
        + more
        + "}";
  }

  @Test
  void withNeitherSinceNorSnapshotTheSubscriptionStartsLiveAfterTheHead() throws Exception {
    open(10);
    published("d1", 1);
    long head = published("d1", 2);

    subscribe(conn("d1", ""));
    long live = published("d1", 1);

    assertThat(answers).containsExactly(new Answered(head, null, null, 0));
    assertThat(seqs()).containsExactly(live);
  }

  @Test
  void sinceReplaysTheEventsAfterItBehindTheReplyThenTheLiveOnesFollowOnce() throws Exception {
    open(10);
    long since = published("d1", 1);
    long missed = published("d1", 2);
    published("d2", 1);
    long head = published("d1", 1);

    subscribe(conn("d1", ",\"since\":" + since));
    long live = published("d1", 2);

    assertThat(answers).containsExactly(new Answered(head, true, null, 0));
    assertThat(seqs()).containsExactly(missed, head, live);
  }

  @Test
  void aSinceOlderThanTheHistoryIsNotRecovered() throws Exception {
    log = new InMemoryEventLog(2, 3_600_000, Clock.systemUTC());
    open(10);
    long since = published("d1", 1);
    published("d1", 2);
    published("d1", 1);
    long head = published("d1", 2);

    subscribe(conn("d1", ",\"since\":" + since));

    assertThat(answers).containsExactly(new Answered(head, false, null, 0));
    assertThat(seqs()).as("what history still holds").hasSize(2).endsWith(head);
  }

  @Test
  void aSinceOlderThanTheHistoryWithSnapshotSendsTheLatestValuesInstead() throws Exception {
    log = new InMemoryEventLog(1, 3_600_000, Clock.systemUTC());
    open(10);
    long since = temperature("d1", 20);
    temperature("d1", 21);
    long newest = temperature("d1", 22);

    subscribe(
        "{\"code\":\"devicePropertyReport\",\"params\":{\"productID\":\""
            + PRODUCT
            + "\",\"deviceName\":\"d1\"},\"since\":"
            + since
            + ",\"snapshot\":true}");
    long live = temperature("d1", 23);

    assertThat(answers).containsExactly(new Answered(newest, false, null, 0));
    List<String> frames = on(transport::writtenTexts);
    assertThat(Json.parseOrNull(frames.get(0)).at("/body/param").asInt())
        .as("the snapshot")
        .isEqualTo(22);
    assertThat(seqs()).containsExactly(newest, live);
  }

  @Test
  void eventsStoredWhileTheInterestOpensAreReplayedOnceAndLiveOnesWaitBehindTheReplay()
      throws Exception {
    CompletableFuture<Void> interest = new CompletableFuture<>();
    hub = new Hub(new Interests(bus(interest), loop, 100));
    open(10);
    long since = published("d1", 1);

    subscribe(conn("d1", ",\"since\":" + since));
    long neverLive = appended("d1", 2);
    long alsoLive = published("d1", 1);
    assertThat(answers).as("no answer before the interest is open").isEmpty();
    interest.complete(null);
    on(() -> null);
    long after = published("d1", 2);

    assertThat(answers).containsExactly(new Answered(alsoLive, true, null, 0));
    assertThat(seqs()).as("no gap, no duplicate").containsExactly(neverLive, alsoLive, after);
  }

  @Test
  void aSubscriptionThatCannotBeSettledIsAnsweredAsFailedAndNotKept() throws Exception {
    CompletableFuture<Void> interest = new CompletableFuture<>();
    hub = new Hub(new Interests(bus(interest), loop, 100));
    open(10);

    subscribe(conn("d1", ""));
    interest.completeExceptionally(new IllegalStateException("no cluster"));
    on(() -> null);

    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).failure()).hasMessage("no cluster");
    assertThat(
            on(
                () ->
                    recipient.subscription(
                        new SubKey(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1")), null)))
        .isNull();
  }

  @Test
  void theLimitCountsOnlyNewSubscriptions() throws Exception {
    open(1);
    subscribe(conn("d1", ""));
    subscribe(conn("d1", ""));

    ExecutionException refused =
        catchThrowableOfType(() -> subscribe(conn("d2", "")), ExecutionException.class);

    assertThat(answers).hasSize(2);
    assertThat(refused.getCause()).isInstanceOf(ThingPushException.class);
    assertThat(((ThingPushException) refused.getCause()).code()).isEqualTo(ErrorCode.LIMIT);
  }

  @Test
  void aSharesReplayMergesTheSharedDevicesInSeqOrder() throws Exception {
    open(10);
    long since = published("d1", 1);
    long first = published("d2", 1);
    published("d3", 1);
    long second = published("d1", 2);

    subscribe(
        "{\"code\":\"deviceConn\",\"params\":{\"shareDevice\":true},\"since\":" + since + "}");
    long live = published("d2", 2);
    published("d3", 2);

    assertThat(answers).containsExactly(new Answered(second, true, null, 0));
    assertThat(seqs()).as("d1 and d2 are shared, d3 is not").containsExactly(first, second, live);
  }

  @Test
  void endingASubscriptionStopsItsEvents() throws Exception {
    open(10);
    subscribe(conn("d1", ""));

    on(
        () -> {
          subscriptions.end(
              recipient.subscription(
                  new SubKey(SubCode.DEVICE_CONN, Target.device(PRODUCT, "d1")), null));
          return null;
        });
    published("d1", 1);

    assertThat(seqs()).isEmpty();
  }

  private static ClusterBus bus(CompletableFuture<Void> interest) {
    return new ClusterBus() {
      @Override
      public CompletionStage<Void> open(SubKey key) {
        return interest;
      }

      @Override
      public void close(SubKey key) {}
    };
  }
}
