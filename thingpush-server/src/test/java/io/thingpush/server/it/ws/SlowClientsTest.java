package io.thingpush.server.it.ws;

import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.RawWebSocket;
import io.thingpush.server.it.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §6 slow clients through real connections: a client that stops reading backs up into its
 * own outbox, where property values conflate and nothing else is dropped or reordered; when the
 * outbox overflows the connection alone is closed with 4008.
 */
class SlowClientsTest {
  private static final int OUTBOX_FRAMES = 30;

  /** Frames big enough that a few MB of socket buffers fill after some tens of them. */
  private static final String BIG = "x".repeat(100_000);

  private static final int MAX_FILLERS = 400;

  @RegisterExtension
  static final TestServer server =
      TestServer.forClass(c -> c.get("ws").put("outboxFrames", OUTBOX_FRAMES));

  @Test
  void aBackedUpClientGetsTheNewestPropertyValuesAndEveryOtherEventInOrder() {
    RawWebSocket slow = server.rawAs("alice", false);
    subscribe(slow, "devicePublish", "d2");
    subscribe(slow, "devicePropertyReport", "d2");
    subscribe(slow, "deviceConn", "d2");
    slow.pauseReading();
    double queuedBefore = server.metric("thingpush_outbox_depth_count");
    int fillers =
        fillUntil(() -> server.metric("thingpush_outbox_depth_count") > queuedBefore, "d2");
    double conflatedBefore = server.metric("thingpush_conflated_total");

    for (int i = 1; i <= 10; i++) {
      server.publish(
          "devicePropertyReport", "prodA", "d2", "{\"identifier\":\"temp\",\"param\":" + i + "}");
      server.publish("deviceConn", "prodA", "d2", "{\"status\":" + (i % 2 + 1) + "}");
    }
    slow.resumeReading();

    List<JsonNode> pushes = new ArrayList<>();
    List<Integer> temps = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    while (statuses.size() < 10 || temps.isEmpty() || temps.get(temps.size() - 1) != 10) {
      JsonNode push = slow.awaitJson(WAIT);
      assertThat(push).as("pushes so far: %s temps, %s statuses", temps, statuses).isNotNull();
      pushes.add(push);
      switch (push.path("path").asText()) {
        case "devicePropertyReport" -> temps.add(push.path("body").path("param").asInt());
        case "deviceConn" -> statuses.add(push.path("body").path("status").asInt());
        default -> assertThat(push.path("path").asText()).isEqualTo("devicePublish");
      }
    }
    assertThat(pushes.stream().filter(p -> p.path("path").asText().equals("devicePublish")).count())
        .as("every filler arrives")
        .isEqualTo(fillers);
    for (int i = 1; i < pushes.size(); i++) {
      assertThat(pushes.get(i).path("seq").asLong())
          .as("seq order")
          .isGreaterThan(pushes.get(i - 1).path("seq").asLong());
    }
    assertThat(statuses)
        .as("deviceConn is never conflated")
        .containsExactly(2, 1, 2, 1, 2, 1, 2, 1, 2, 1);
    // How many values were replaced depends on how far the socket had backed up (OutboxTest and
    // HubTest pin conflation down exactly); here: the newest arrives, in order, and every value
    // that did not arrive is counted as conflated.
    assertThat(temps).as("the newest value arrives").endsWith(10).isSorted();
    assertThat(server.metric("thingpush_conflated_total") - conflatedBefore)
        .isEqualTo(10 - temps.size());
    assertThat(slow.isOpen()).isTrue();
  }

  @Test
  void aClientWhoseOutboxOverflowsIsClosedWith4008AndTheOthersGetEverything() throws Exception {
    Connection healthy = server.connectAs("alice");
    TestServer.join(
        healthy.subscribe("devicePublish", Map.of("productID", "prodA", "deviceName", "d3")));
    RawWebSocket slow = server.rawAs("alice", false);
    subscribe(slow, "devicePublish", "d3");
    slow.pauseReading();
    double closedBefore = server.metric("thingpush_closes_total{code=\"4008\"}");

    int published =
        fillUntil(
            () -> server.metric("thingpush_closes_total{code=\"4008\"}") > closedBefore, "d3");

    assertThat(server.metric("thingpush_dropped_total")).isPositive();
    // Longer than a second: the close frame waits behind what the socket holds until the client
    // reads.
    Thread.sleep(2_000);
    slow.resumeReading();
    CloseStatus close = TestServer.join(slow.closeFrame());
    assertThat(close.code()).isEqualTo(4008);
    slow.disconnected().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    await().atMost(WAIT).until(() -> pushesSoFar(healthy).size() == published);
    assertThat(healthy.isOpen()).isTrue();
  }

  private static void subscribe(RawWebSocket ws, String code, String device) {
    ws.sendText(
        "{\"type\":\"up.sub\",\"body\":{\"code\":\""
            + code
            + "\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\""
            + device
            + "\"}}}");
    JsonNode reply = ws.awaitJson(WAIT);
    assertThat(reply.path("code").asInt()).as("reply %s", reply).isEqualTo(200);
  }

  /** Publishes big devicePublish events of {@code device} until {@code done}; returns how many. */
  private static int fillUntil(java.util.function.BooleanSupplier done, String device) {
    String payload =
        Json.text(Json.object().put("topic", "t").put("action", "report").put("content", BIG));
    for (int n = 1; n <= MAX_FILLERS; n++) {
      server.publish("devicePublish", "prodA", device, payload);
      if (done.getAsBoolean()) {
        return n;
      }
    }
    throw new AssertionError(
        "still not backed up after " + MAX_FILLERS + " events of " + BIG.length() + " bytes");
  }
}
