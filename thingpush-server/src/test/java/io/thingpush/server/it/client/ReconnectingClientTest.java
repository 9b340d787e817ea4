package io.thingpush.server.it.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ReconnectListener;
import io.thingpush.client.ReconnectPolicy;
import io.thingpush.client.ReconnectingClient;
import io.thingpush.client.ReconnectingClient.State;
import io.thingpush.client.ReconnectingClient.SubscribeOptions;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client's reconnect and resume against a real server: a cut link (also with a
 * subscription that had no push), a dead link, a server restart, an expired token. The same behaviour the JavaScript client's tests check.
 */
class ReconnectingClientTest {
  private static final ReconnectPolicy FAST =
      ReconnectPolicy.defaults().withDelays(Duration.ofMillis(100), Duration.ofSeconds(1));

  /**
   * For the resume tests: a link cut by the proxy is noticed by its closed socket, or else by
   * the heartbeat within 2 s. In full runs the JDK client twice went on for seconds without
   * reporting the closed socket; what those tests check is the resume, not how a cut is seen.
   */
  private static final ReconnectPolicy CUT_NOTICED =
      FAST.withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(1));

  private static final Map<String, String> K = Map.of("productID", "prodA", "deviceName", "k07");

  @RegisterExtension final TestServer server = TestServer.forEachTest();
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  /** What the listener was told, in order. */
  static final class Told implements ReconnectListener {
    final List<CloseStatus> closes = new CopyOnWriteArrayList<>();
    final List<Duration> reconnectIns = new CopyOnWriteArrayList<>();
    final List<Boolean> opens = new CopyOnWriteArrayList<>();
    final List<Long> recoveryFailed = new CopyOnWriteArrayList<>();
    final List<CloseStatus> tokenExpired = new CopyOnWriteArrayList<>();

    @Override
    public void onOpen(Connection connection, boolean resumed) {
      opens.add(resumed);
    }

    @Override
    public void onClose(CloseStatus status, JsonNode refusal, Duration reconnectIn) {
      closes.add(status);
      reconnectIns.add(reconnectIn == null ? Duration.ofMillis(-1) : reconnectIn);
    }

    @Override
    public void onRecoveryFailed(String code, JsonNode params, Long since) {
      recoveryFailed.add(since);
    }

    @Override
    public void onTokenExpired(CloseStatus status, JsonNode refusal) {
      tokenExpired.add(status);
    }
  }

  private ReconnectingClient client(
      ConnectOptions options,
      ReconnectPolicy policy,
      Told told,
      java.util.function.Supplier<String> tokens) {
    ReconnectingClient c =
        ReconnectingClient.builder(options).policy(policy).listener(told).tokens(tokens).build();
    closeAfter.add(0, c);
    return c;
  }

  /** A proxy in front of the server, closed after the test. */
  private TcpProxy proxy() {
    TcpProxy proxy = new TcpProxy(server.wsBase().getPort());
    closeAfter.add(proxy);
    return proxy;
  }

  private ConnectOptions viaProxy(TcpProxy proxy, String token) {
    return ConnectOptions.builder(URI.create("ws://127.0.0.1:" + proxy.port()))
        .appCode(TestServer.APP)
        .token(token)
        .build();
  }

  private long report(String device, double value) {
    return server.publish(
        "devicePropertyReport",
        "prodA",
        device,
        "{\"identifier\":\"temp\",\"param\":" + value + "}");
  }

  private long conn(String device, int status) {
    return server.publish("deviceConn", "prodA", device, "{\"status\":" + status + "}");
  }

  private static List<Long> seqsOf(List<JsonNode> pushes, String device) {
    return seqs(
        pushes.stream()
            .filter(p -> device.equals(p.path("body").path("device").path("deviceName").asText()))
            .toList());
  }

  private static List<Long> seqs(List<JsonNode> pushes) {
    return pushes.stream().map(p -> p.path("seq").asLong()).toList();
  }

  @Test
  void afterACutLinkItResumesWithSinceAndEveryEventComesOnceInOrder() {
    TcpProxy proxy = proxy();
    Told told = new Told();
    ReconnectingClient c =
        client(viaProxy(proxy, server.tokenOf("alice")), CUT_NOTICED, told, null);
    List<JsonNode> pushes = new CopyOnWriteArrayList<>();
    c.onPush("devicePropertyReport", pushes::add);
    TestServer.join(c.connect());
    // overlapping subscriptions: their replays overlap too
    assertThat(
            TestServer.join(c.subscribe("devicePropertyReport", K, SubscribeOptions.NONE))
                .path("code")
                .asInt())
        .isEqualTo(200);
    TestServer.join(
        c.subscribe("devicePropertyReport", Map.of("projectID", "p2"), SubscribeOptions.NONE));
    List<Long> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(report("k07", i));
    }
    Waits.await().until(() -> pushes.size() == 3);

    proxy.cut();
    Waits.await().until(() -> !told.closes.isEmpty()); // attempts while it is down add more
    for (int i = 3; i < 8; i++) {
      sent.add(report("k07", i));
    }
    proxy.heal();
    Waits.await().until(() -> told.opens.size() == 2);
    for (int i = 8; i < 10; i++) {
      sent.add(report("k07", i));
    }

    Waits.await().until(() -> pushes.size() >= 10);
    assertThat(told.opens).containsExactly(false, true);
    assertThat(seqs(pushes)).containsExactlyElementsOf(sent);
    assertThat(told.recoveryFailed).isEmpty();
    assertThat(c.lastSeq()).isEqualTo(sent.get(9));
  }

  /**
   * A subscription that had no push yet resumes from its reply's seq: what was published while
   * the link was down comes once, in order (each subscription replays its own), and nothing
   * published before it was subscribed.
   */
  @Test
  void aSubscriptionWithoutAPushYetResumesFromItsReplyAndMissesNothing() {
    TcpProxy proxy = proxy();
    Told told = new Told();
    ReconnectingClient c =
        client(viaProxy(proxy, server.tokenOf("alice")), CUT_NOTICED, told, null);
    List<JsonNode> pushes = new CopyOnWriteArrayList<>();
    c.onPush("deviceConn", pushes::add);
    TestServer.join(c.connect());
    TestServer.join(c.subscribe("deviceConn", K, SubscribeOptions.NONE));
    List<Long> k07 = new ArrayList<>(List.of(conn("k07", 1)));
    Waits.await().until(() -> pushes.size() == 1);
    conn("k08", 1); // before k08 was subscribed: never pushed
    JsonNode quiet =
        TestServer.join(
            c.subscribe(
                "deviceConn",
                Map.of("productID", "prodA", "deviceName", "k08"),
                SubscribeOptions.NONE));
    List<Long> k08 = new ArrayList<>();

    proxy.cut();
    Waits.await().until(() -> !told.closes.isEmpty()); // attempts while it is down add more
    for (int i = 0; i < 3; i++) {
      k08.add(conn("k08", 2));
      k07.add(conn("k07", 2));
    }
    proxy.heal();
    Waits.await().until(() -> told.opens.size() == 2);
    k08.add(conn("k08", 1));

    Waits.await().until(() -> pushes.size() >= k07.size() + k08.size());
    TestServer.join(c.connection().ping(Json.object())); // whatever the server sent before is in
    c.subscriptions(); // and the client's thread has handed it to the app
    assertThat(k08.get(0))
        .as("published after the reply named its seq")
        .isGreaterThan(quiet.path("seq").asLong());
    assertThat(seqsOf(pushes, "k08")).containsExactlyElementsOf(k08);
    assertThat(seqsOf(pushes, "k07")).containsExactlyElementsOf(k07);
    assertThat(pushes).hasSize(k07.size() + k08.size());
    assertThat(told.recoveryFailed).isEmpty();
  }

  @Test
  void theHeartbeatNoticesADeadLinkThatNeverClosesAndTheClientComesBack() {
    TcpProxy proxy = proxy();
    Told told = new Told();
    ReconnectingClient c =
        client(
            viaProxy(proxy, server.tokenOf("alice")),
            FAST.withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(300)),
            told,
            null);
    List<JsonNode> pushes = new CopyOnWriteArrayList<>();
    c.onPush(pushes::add);
    TestServer.join(c.connect());
    TestServer.join(c.subscribe("deviceConn", K, SubscribeOptions.NONE));
    server.publish("deviceConn", "prodA", "k07", "{\"status\":1}");
    Waits.await().until(() -> pushes.size() == 1);

    proxy.freeze();
    Waits.await().until(() -> !told.closes.isEmpty()); // attempts while it is down add more
    long seq = server.publish("deviceConn", "prodA", "k07", "{\"status\":2}");
    proxy.heal();

    Waits.await().until(() -> pushes.size() == 2);
    assertThat(told.closes.get(0).code()).isEqualTo(CloseStatus.ABNORMAL);
    assertThat(told.closes.get(0).reason()).contains("heartbeat");
    assertThat(pushes.get(1).path("seq").asLong()).isEqualTo(seq);
    assertThat(told.recoveryFailed).isEmpty();
  }

  @Test
  void afterAServerRestartItReconnectsResubscribesAndSaysHistoryMayHaveAGap() {
    Told told = new Told();
    ReconnectingClient c = client(server.options("alice").build(), FAST, told, null);
    List<JsonNode> pushes = new CopyOnWriteArrayList<>();
    c.onPush("deviceConn", pushes::add);
    TestServer.join(c.connect());
    TestServer.join(c.subscribe("deviceConn", Map.of("projectID", "p2"), SubscribeOptions.NONE));
    long before = server.publish("deviceConn", "prodA", "k08", "{\"status\":1}");
    Waits.await().until(() -> pushes.size() == 1);

    server.restart(Duration.ofMillis(500));
    Waits.await().atMost(Duration.ofSeconds(10)).until(() -> told.recoveryFailed.size() == 1);
    long after = server.publish("deviceConn", "prodA", "k08", "{\"status\":2}");

    Waits.await().until(() -> pushes.size() == 2);
    assertThat(told.closes.get(0).code()).isEqualTo(4009);
    assertThat(told.reconnectIns.get(0).isNegative()).isFalse();
    assertThat(told.recoveryFailed).containsExactly(before);
    assertThat(after).isGreaterThan(before);
    assertThat(seqs(pushes)).containsExactly(before, after);
    assertThat(c.state()).isEqualTo(State.OPEN);
  }

  @Test
  void anExpiredTokenStopsTheClientUntilTheAppGivesANewOneThenItResumes() {
    Told told = new Told();
    Duration life = Duration.ofSeconds(30);
    String shortToken = server.token("alice").expiresAt(server.clock().instant().plus(life)).sign();
    ReconnectingClient c = client(server.options().token(shortToken).build(), FAST, told, null);
    List<JsonNode> pushes = new CopyOnWriteArrayList<>();
    c.onPush(pushes::add);
    TestServer.join(c.connect());
    TestServer.join(c.subscribe("deviceConn", K, SubscribeOptions.NONE));
    server.publish("deviceConn", "prodA", "k07", "{\"status\":1}");
    Waits.await().until(() -> pushes.size() == 1);

    server.clock().advance(life);
    Waits.await().atMost(Duration.ofSeconds(5)).until(() -> c.state() == State.CLOSED);
    long missed = server.publish("deviceConn", "prodA", "k07", "{\"status\":2}");
    c.setToken(server.tokenOf("alice"));

    Waits.await().until(() -> pushes.size() == 2);
    assertThat(told.tokenExpired).extracting(CloseStatus::code).containsExactly(4001);
    assertThat(told.opens).containsExactly(false, true);
    assertThat(pushes.get(1).path("seq").asLong()).isEqualTo(missed);
  }

  @Test
  void aTokenAboutToExpireIsRefreshedInPlaceAndTheConnectionStays() {
    Told told = new Told();
    AtomicInteger asked = new AtomicInteger();
    // The client refreshes by its own (real) clock, 2 s before the expiry: after 1 s.
    String shortToken =
        server.token("alice").expiresAt(server.clock().instant().plusSeconds(3)).sign();
    ReconnectingClient c =
        client(
            server.options().token(shortToken).build(),
            FAST.withRefreshBefore(Duration.ofSeconds(2)),
            told,
            () -> {
              asked.incrementAndGet();
              return server.tokenOf("alice");
            });
    TestServer.join(c.connect());
    String connectID = c.connection().connectID();

    Waits.await().until(() -> asked.get() == 1);
    List<JsonNode> pushes = new CopyOnWriteArrayList<>();
    c.onPush(pushes::add);
    // Sent after the refresh's setHandle on the same socket: the server has swapped the token when
    // this answers.
    TestServer.join(c.subscribe("deviceConn", K, SubscribeOptions.NONE));
    server.clock().advance(Duration.ofSeconds(3));
    server.publish("deviceConn", "prodA", "k07", "{\"status\":1}");

    Waits.await().until(() -> pushes.size() == 1);
    assertThat(c.connection().connectID()).isEqualTo(connectID);
    assertThat(told.closes).isEmpty();
  }

  @Test
  void aForbiddenProjectFailsConnectAndIsNotRetried() {
    Told told = new Told();
    ReconnectingClient c = client(server.options("bob").projectId("p2").build(), FAST, told, null);

    assertThatThrownBy(() -> TestServer.join(c.connect())).hasMessageContaining("4003");
    assertThat(told.closes).extracting(CloseStatus::code).containsExactly(4003);
    assertThat(told.reconnectIns).containsExactly(Duration.ofMillis(-1));
    assertThat(c.state()).isEqualTo(State.CLOSED);
  }
}
