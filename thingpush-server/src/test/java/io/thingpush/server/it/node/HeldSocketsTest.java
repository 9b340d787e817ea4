package io.thingpush.server.it.node;

import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No socket is held for free: a client that sends nothing, or trickles its request, is closed
 * after the time-out of the port it holds; one that talks normally, or waits for a slow answer,
 * is not.
 */
class HeldSocketsTest {
  private static final long TIMEOUT_MS = 500;

  /** Long enough that trickling it a byte every {@link #GAP} outlasts every time-out here. */
  private static final String PAD = "X-Pad: " + "a".repeat(200) + "\r\n";

  private static final Duration GAP = Duration.ofMillis(20);

  /** A page of the HTTP port that answers anyone. */
  private static final String OPENAPI = AdminClient.BASE + "/openapi.yaml";

  @RegisterExtension
  static final TestServer server =
      TestServer.forClass(
          c -> {
            c.get("ws").put("handshakeTimeoutMs", TIMEOUT_MS);
            c.get("http").put("headersTimeoutMs", TIMEOUT_MS);
            c.get("http").put("bodyTimeoutMs", TIMEOUT_MS);
            c.get("http").put("idleTimeoutMs", TIMEOUT_MS);
            c.get("mqtt").put("connectTimeoutMs", 1000);
          });

  @Test
  void aClientThatSendsNothingIsClosedOnEveryPort() {
    int[] ports = {
      server.node().wsPort(),
      server.node().httpPort(),
      server.node().managementPort(),
      server.node().mqttPort()
    };
    for (int port : ports) {
      try (SlowSocket silent = SlowSocket.open(port)) {
        assertThat(silent.closedWithin(WAIT)).as("port %d closed a silent client", port).isTrue();
      }
    }
  }

  @Test
  void anUpgradeRequestTrickledPastTheHandshakeTimeoutIsCutOff() {
    try (SlowSocket slow = SlowSocket.open(server.node().wsPort())) {
      String head =
          "GET "
              + ConnectOptions.DEFAULT_PATH
              + "?token="
              + server.tokenOf("alice")
              + " HTTP/1.1\r\n"
              + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + PAD;

      assertThat(slow.trickle(head, GAP, WAIT)).as("closed while trickling").isTrue();
      assertThat(slow.received()).as("nothing answered").isEmpty();
    }
  }

  @Test
  void aConnectionThatCompletedItsUpgradeOutlivesTheHandshakeTimeout() throws InterruptedException {
    Connection c = server.connectAs("alice");

    Thread.sleep(3 * TIMEOUT_MS);

    assertThat(
            join(c.ping(io.thingpush.protocol.Json.object().put("still", "here")))
                .path("type")
                .asText())
        .isEqualTo("down.pong");
  }

  @Test
  void aRequestHeadTrickledPastTheHeadersTimeoutIsCutOff() {
    try (SlowSocket slow = SlowSocket.open(server.node().httpPort())) {
      assertThat(
              slow.trickle("GET " + OPENAPI + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + PAD, GAP, WAIT))
          .isTrue();
      assertThat(slow.received()).isEmpty();
    }
  }

  @Test
  void aBodyTrickledPastTheBodyTimeoutIsAnswered408AndClosed() {
    try (SlowSocket slow = SlowSocket.open(server.node().httpPort())) {
      slow.send(
          "POST "
              + TestServer.PUBLISH_PATH
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + PLATFORM_KEY
              + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");

      assertThat(slow.trickle("{\"code\":\"devicePublish\"," + " ".repeat(970), GAP, WAIT))
          .isTrue();
      assertThat(slow.received()).startsWith("HTTP/1.1 408 ");
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedWhenItsNextRequestDoesNotCome() {
    try (SlowSocket idle = SlowSocket.open(server.node().httpPort())) {
      idle.send("GET " + OPENAPI + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

      assertThat(idle.closedWithin(WAIT)).isTrue();
      assertThat(idle.received()).startsWith("HTTP/1.1 200 OK").contains("openapi:");
    }
  }

  @Test
  void anAnswerSlowerThanEveryTimeoutStillArrives() {
    try (MqttDevice device = MqttDevice.online(server.mqttPort(), "prodA", "d1", "s")) {
      String call =
          "{\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"actionID\":\"reboot\",\"params\":{}}";

      // The device never replies: the answer comes when the action call times out (2 s).
      TestServer.HttpResult answer =
          server.post("/api/v1/push/action", "Bearer " + PLATFORM_KEY, call);

      assertThat(answer.status()).isEqualTo(504);
    }
  }
}
