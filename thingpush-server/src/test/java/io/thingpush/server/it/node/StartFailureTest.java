package io.thingpush.server.it.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingpush.server.config.ConfigException;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A node that cannot start closes what it had opened, so that the next try can have it. */
class StartFailureTest {
  @Test
  void aStartThatFailsOnItsLastPortReleasesTheOthers() throws Exception {
    int mqtt = NatsTestServer.freePort();
    int http = NatsTestServer.freePort();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () ->
                  TestServer.start(
                      c -> {
                        c.get("mqtt").put("port", mqtt);
                        c.get("http").put("port", http);
                        c.get("ws").put("port", taken.getLocalPort());
                      }))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("ws.port: port " + taken.getLocalPort());
    }

    try (TestServer again =
        TestServer.start(
            c -> {
              c.get("mqtt").put("port", mqtt);
              c.get("http").put("port", http);
            })) {
      assertThat(again.mqttPort()).isEqualTo(mqtt);
      assertThat(again.node().httpPort()).isEqualTo(http);
    }
  }
}
