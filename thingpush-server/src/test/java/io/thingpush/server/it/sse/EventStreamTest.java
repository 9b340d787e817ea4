package io.thingpush.server.it.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.Subs;
import io.thingpush.server.it.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server-Sent Events (SPEC §10) read as {@code curl -N} reads them: the connect frame, each
 * {@code down.subRet}, then pushes as {@code event:}/{@code id:}/{@code data:} with the same JSON
 * as the WebSocket's; refusals as HTTP errors; a resume from {@code Last-Event-ID} exactly as
 * {@code since}; tenants sealed; heartbeat comments; a reader that stops is closed like a slow
 * WebSocket client.
 */
class EventStreamTest {
  private static final Duration WAIT = TestServer.WAIT;
  private static final String PATH = "/api/v1/system/common/sse/connect";
  private static final String BIG = "x".repeat(16 * 1024);

  @RegisterExtension
  static final TestServer server =
      TestServer.forClass(
          c -> {
            c.get("ws").put("outboxFrames", 50);
            c.get("ws").put("pingIntervalMs", 300);
          });

  private static String sub(String json) {
    return "sub=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
  }

  private static String device(String code, String deviceName) {
    return "{\"code\":\""
        + code
        + "\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\""
        + deviceName
        + "\"}}";
  }

  private static RawEventStream open(String user, Map<String, String> headers, String... subs) {
    return open(user, headers, 0, subs);
  }

  private static RawEventStream open(
      String user, Map<String, String> headers, int receiveBuffer, String... subs) {
    String token =
        user.equals("wile") ? server.token(user).tenant("acme").sign() : server.tokenOf(user);
    StringBuilder target =
        new StringBuilder(PATH + "?app-code=" + TestServer.APP + "&token=" + token);
    for (String s : subs) {
      target.append('&').append(sub(s));
    }
    return RawEventStream.open(server.node().wsPort(), target.toString(), headers, receiveBuffer);
  }

  @Test
  void theStreamCarriesTheConnectFrameTheRepliesThenPushesAsOnTheWebSocket() throws Exception {
    Connection ws = server.connectAs("alice");
    TestServer.join(ws.subscribe(Json.parseOrNull(device("deviceConn", "d1"))));
    try (RawEventStream sse =
        open("alice", Map.of(), device("deviceConn", "d1"), device("devicePropertyReport", "d1"))) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.header("content-type")).startsWith("text/event-stream");
      assertThat(sse.header("cache-control")).isEqualTo("no-cache");

      RawEventStream.Event hello = sse.next(WAIT);
      assertThat(hello.type()).isEqualTo("connect");
      assertThat(hello.data().path("code").asInt()).isEqualTo(200);
      assertThat(hello.data().path("handler").path("connectID").asText()).isNotEmpty();
      List<RawEventStream.Event> replies = sse.next(2, "down.subRet", WAIT);
      assertThat(replies.get(0).id())
          .as("the stream's position comes with the last reply")
          .isNull();
      long lowest = Math.min(replies.get(0).seq(), replies.get(1).seq());
      assertThat(replies.get(1).id()).isEqualTo(Long.toString(lowest));

      long offline = server.publish("deviceConn", "prodA", "d1", "{\"status\":2}");
      RawEventStream.Event push = sse.next(WAIT);
      JsonNode sameOnWebSocket = Subs.untilSeq(ws, offline).get(0);

      assertThat(push.type()).isEqualTo("down.pub");
      assertThat(push.id()).isEqualTo(Long.toString(offline));
      assertThat(push.data()).isEqualTo(sameOnWebSocket);
    }
  }

  @Test
  void aRefusedStreamIsAnHttpErrorWithTheRefusalAndABadSubIsRefusedInTheStream() throws Exception {
    try (RawEventStream noToken = RawEventStream.open(server.node().wsPort(), PATH, Map.of(), 0)) {
      assertThat(noToken.status()).isEqualTo(401);
      assertThat(noToken.refusal().path("code").asInt()).isEqualTo(100005);
    }
    try (RawEventStream otherTenant = open("alice", Map.of("tenant-code", "acme"))) {
      assertThat(otherTenant.status()).isEqualTo(403);
      assertThat(otherTenant.refusal().path("code").asInt()).isEqualTo(100012);
    }
    try (RawEventStream badResume = open("alice", Map.of("Last-Event-ID", "yesterday"))) {
      assertThat(badResume.status()).isEqualTo(400);
      assertThat(badResume.refusal().path("msg").asText()).contains("Last-Event-ID");
    }
    try (RawEventStream sse =
        open(
            "alice",
            Map.of(),
            "{\"code\":\"deviceConn\",\"params\":{\"nope\":1}}",
            "not json",
            "{\"code\":\"deviceConn\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"filter\":\"status ==\"}")) {
      sse.next(WAIT);
      List<RawEventStream.Event> replies = sse.next(3, "down.subRet", WAIT);
      assertThat(replies)
          .extracting(e -> e.data().path("code").asInt())
          .containsExactly(100006, 100006, 100006);
      assertThat(replies.get(0).data().path("msg").asText()).contains("params.nope");
      assertThat(replies.get(2).data().path("msg").asText()).contains("filter 1:");
    }
  }

  /** The server drops the stream (an operator closes it); a reconnect with Last-Event-ID misses nothing and repeats nothing. */
  @Test
  void aReconnectWithLastEventIdResumesExactlyAsSince() throws Exception {
    String id;
    List<Long> seen = new ArrayList<>();
    try (RawEventStream first = open("alice", Map.of(), device("deviceConn", "d2"))) {
      first.next(WAIT);
      first.next(1, "down.subRet", WAIT);
      for (int status : new int[] {1, 2}) {
        server.publish("deviceConn", "prodA", "d2", "{\"status\":" + status + "}");
      }
      List<RawEventStream.Event> pushes = first.next(2, "down.pub", WAIT);
      pushes.forEach(p -> seen.add(p.seq()));
      id = pushes.get(1).id();
      String connectID = findConnection();
      AdminClient operator = new AdminClient(server, server.tokenOf(TestServer.PLATFORM_ADMIN));
      AdminClient.ok(
          operator.post(
              "/connections/" + connectID + "/close", "{\"code\":4009,\"reason\":\"moving\"}"),
          200);
      RawEventStream.Event close = first.next(WAIT);
      assertThat(close.type()).isEqualTo("close");
      assertThat(close.data().path("code").asInt()).isEqualTo(4009);
      assertThat(first.endsWithin(WAIT)).isTrue();
    }
    List<Long> missed = new ArrayList<>();
    for (int status : new int[] {1, 2, 1}) {
      missed.add(server.publish("deviceConn", "prodA", "d2", "{\"status\":" + status + "}"));
    }
    try (RawEventStream again =
        open("alice", Map.of("Last-Event-ID", id), device("deviceConn", "d2"))) {
      again.next(WAIT);
      RawEventStream.Event reply = again.next(1, "down.subRet", WAIT).get(0);
      assertThat(reply.data().path("recovered").asBoolean()).as("%s", reply.data()).isTrue();
      List<RawEventStream.Event> replayed = again.next(3, "down.pub", WAIT);
      long live = server.publish("deviceConn", "prodA", "d2", "{\"status\":2}");
      RawEventStream.Event next = again.next(1, "down.pub", WAIT).get(0);

      assertThat(replayed).extracting(RawEventStream.Event::seq).containsExactlyElementsOf(missed);
      assertThat(replayed)
          .extracting(RawEventStream.Event::id)
          .as("a replay moves no position")
          .containsOnlyNulls();
      assertThat(next.seq()).isEqualTo(live);
      assertThat(next.id()).isEqualTo(Long.toString(live));
      assertThat(seen).doesNotContainAnyElementsOf(missed);
    }
  }

  @Test
  void tenantsAreSealedOverEventStreamsToo() throws Exception {
    try (RawEventStream wile =
        open(
            "wile",
            Map.of(),
            "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p1\"}}",
            "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"px\"}}")) {
      wile.next(WAIT);
      List<RawEventStream.Event> replies = wile.next(2, "down.subRet", WAIT);
      assertThat(replies)
          .extracting(e -> e.data().path("code").asInt())
          .containsExactly(100009, 200);
      server.publish("deviceConn", "prodA", "d1", "{\"status\":1}");
      long own =
          server.publishAs(TestServer.ACME_KEY, "deviceConn", "prodX", "x1", "{\"status\":1}");

      RawEventStream.Event push = wile.next(1, "down.pub", WAIT).get(0);
      assertThat(push.seq()).as("only the acme device's event").isEqualTo(own);
      assertThat(push.data().path("body").path("device").path("productID").asText())
          .isEqualTo("prodX");
    }
  }

  @Test
  void anIdleStreamGetsHeartbeatComments() {
    try (RawEventStream sse = open("alice", Map.of(), device("deviceConn", "d4"))) {
      sse.next(WAIT);
      sse.next(1, "down.subRet", WAIT);
      long later = System.nanoTime();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                server.publish("deviceConn", "prodA", "d4", "{\"status\":1}");
                sse.next(WAIT);
                return sse.comments() >= 2;
              });
      assertThat(System.nanoTime()).isGreaterThan(later);
    }
  }

  /** A reader that stops reading is closed as a slow WebSocket client is (4008), counted the same way. */
  @Test
  void aStreamWhoseReaderStopsIsClosedLikeASlowWebSocket() {
    double before = server.metric("thingpush_closes_total{code=\"4008\"}");
    try (RawEventStream slow = open("alice", Map.of(), 4096, device("devicePublish", "d3"))) {
      slow.next(WAIT);
      slow.next(1, "down.subRet", WAIT);
      String payload =
          Json.text(Json.object().put("topic", "t").put("action", "report").put("content", BIG));
      for (int n = 0;
          n < 2_000 && server.metric("thingpush_closes_total{code=\"4008\"}") <= before;
          n++) {
        server.publish("devicePublish", "prodA", "d3", payload);
      }
      assertThat(server.metric("thingpush_closes_total{code=\"4008\"}")).isGreaterThan(before);
      assertThat(slow.endsWithin(Duration.ofSeconds(15))).as("the stream ends").isTrue();
    }
  }

  /** The connectID of the one open connection of alice whose subscriptions name d2. */
  private static String findConnection() {
    AdminClient operator = new AdminClient(server, server.tokenOf(TestServer.PLATFORM_ADMIN));
    JsonNode items = AdminClient.ok(operator.get("/connections?q=alice"), 200).path("items");
    for (JsonNode c : items) {
      if (c.path("subscriptions").toString().contains("\"d2\"")) {
        return c.path("connectID").asText();
      }
    }
    throw new AssertionError("no connection of alice on d2 in " + items);
  }
}
