package io.thingpush.server.it.ws;

import static io.thingpush.server.it.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.thingpush.server.it.RawWebSocket;
import io.thingpush.server.it.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate is accepted when a client offers it (and the config allows it); what breaks
 * it closes with the code that says why.
 */
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
    ws.sendText(
        "{\"type\":\"up.sub\",\"body\":{\"code\":\"devicePropertyReport\",\"params\":{\"projectID\":\"p1\"}}}");
    assertThat(ws.awaitJson(WAIT).path("code").asInt()).isEqualTo(200);
    server.publish(
        "devicePropertyReport",
        "prodA",
        "d1",
        "{\"identifier\":\"label\",\"param\":\"" + "abc".repeat(200) + "\"}");
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

  @Test
  void aCompressedMessageOverTheSizeLimitClosesWith1009() {
    server = TestServer.start();
    RawWebSocket ws = server.rawAs("alice", true);

    // Compresses to a few hundred bytes, inflates past the 64 KiB limit.
    ws.sendText("{\"type\":\"up.ping\",\"body\":\"" + "a".repeat(70_000) + "\"}");

    assertThat(TestServer.join(ws.closeFrame()).code()).isEqualTo(1009);
  }

  @Test
  void corruptCompressedDataClosesWith1007() {
    server = TestServer.start();
    RawWebSocket ws = server.rawAs("alice", true);

    // RSV1 says "compressed", but 0xff starts a deflate block of the reserved type 3.
    ws.sendFrame(
        new TextWebSocketFrame(
            true, WebSocketExtension.RSV1, Unpooled.wrappedBuffer(new byte[] {-1, -1, 0, 1})));

    assertThat(TestServer.join(ws.closeFrame()).code()).isEqualTo(1007);
  }

  @Test
  void aFrameWithRsv1WithoutNegotiatedCompressionFailsWith1002() {
    server = TestServer.start();
    RawWebSocket ws = server.rawAs("alice", false);

    ws.sendFrame(
        new TextWebSocketFrame(
            true,
            WebSocketExtension.RSV1,
            Unpooled.copiedBuffer("{\"type\":\"up.ping\",\"body\":1}", StandardCharsets.UTF_8)));

    assertThat(TestServer.join(ws.closeFrame()).code()).isEqualTo(1002);
    assertThat(ws.awaitJson(java.time.Duration.ofMillis(200)))
        .as("the frame is not processed")
        .isNull();
  }
}
