package io.thingpush.server.it.node;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.Subs.device;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.Connection;
import io.thingpush.server.it.RawWebSocket;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4: a server that is closed tells every open connection to reconnect elsewhere: a close
 * frame with 4009 (docs/protocol.md: "4009 server shutting down — reconnect with since").
 */
class ShutdownTest {
  @Test
  void closingTheServerClosesEveryOpenConnectionWith4009() {
    TestServer server = TestServer.start();
    try {
      List<Connection> open = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Connection c = server.connectAs(i % 2 == 0 ? "alice" : "erin");
        assertJson(
            join(c.subscribe("deviceConn", i % 2 == 0 ? params("projectID", "p1") : device("k01"))),
            OK_SUB);
        open.add(c);
      }
      server.publish("deviceConn", "prodA", "k01", "{\"status\":1}");
      Waits.pushes(open.get(1), 1);
      RawWebSocket raw =
          server.raw(
              server.connectUri("token=" + server.tokenOf("alice") + "&app-code=" + TestServer.APP),
              Map.of(),
              true);
      JsonNode hello = raw.awaitJson(WAIT);
      assertThat(hello.path("code").asInt()).as("%s", hello).isEqualTo(200);

      server.shutdown();

      Map<String, CloseStatus> closes = new TreeMap<>();
      for (Connection c : open) {
        closes.put("connectID " + c.connectID(), join(c.closed()));
      }
      join(raw.disconnected()); // a close frame is read before the TCP connection ends
      closes.put(
          "raw client",
          raw.closeFrame().getNow(new CloseStatus(CloseStatus.ABNORMAL, "no close frame")));
      assertThat(closes)
          .as("how each connection ended")
          .allSatisfy(
              (who, closed) -> assertThat(closed.code()).as("%s: %s", who, closed).isEqualTo(4009));
      for (CloseStatus closed : closes.values()) {
        assertThat(closed.reason()).isNotBlank().matches("[\\x20-\\x7e]*");
        assertThat(closed.reason().getBytes(StandardCharsets.UTF_8).length)
            .isLessThanOrEqualTo(123);
      }
    } finally {
      server.closeClients();
    }
  }
}
