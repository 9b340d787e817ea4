package io.thingpush.server.it;

import static io.thingpush.server.it.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** permessage-deflate is accepted when a client offers it (and the config allows it). */
class CompressionTest {
  private TestServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aClientOfferingDeflateGetsCompressedFramesItCanRead() {
    server = TestServer.start();
    RawWebSocket ws = server.rawAs("alice", true);

    assertThat(ws.extensions()).startsWith("permessage-deflate");
    ws.sendText("{\"type\":\"up.sub\",\"body\":{\"code\":\"devicePropertyReport\",\"params\":{\"projectID\":\"p1\"}}}");
    assertThat(ws.awaitJson(WAIT).path("code").asInt()).isEqualTo(200);
    server.publish("devicePropertyReport", "prodA", "d1", "{\"identifier\":\"label\",\"param\":\"" + "abc".repeat(200) + "\"}");
    JsonNode push = ws.awaitJson(WAIT);
    assertThat(push.path("body").path("param").asText()).isEqualTo("abc".repeat(200));
  }

  @Test
  void compressionSwitchedOffIsNotNegotiated() {
    server = TestServer.start(c -> c.get("ws").put("compression", false));
    RawWebSocket ws = server.rawAs("alice", true);

    assertThat(ws.extensions()).isNull();
    ws.sendText("{\"type\":\"up.ping\",\"body\":1}");
    assertThat(ws.awaitJson(WAIT).path("type").asText()).isEqualTo("down.pong");
  }
}
