package io.thingpush.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.thingpush.server.observe.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame bytes shared by every connection an event goes to: what an independent WebSocket
 * decoder (a client's, expecting unmasked frames) reads from them, and that one event's frame
 * is built once per event loop.
 */
class SharedFramesTest {
  private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

  /** What a client reads from {@code frame}: the text of one final text frame. */
  private static String clientReads(ByteBuf frame) {
    EmbeddedChannel client =
        new EmbeddedChannel(
            new WebSocket08FrameDecoder(
                WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(false)
                    .maxFramePayloadLength(1 << 20)
                    .build()));
    try {
      client.writeInbound(frame);
      TextWebSocketFrame text = client.readInbound();
      assertThat(text).as("a text frame").isNotNull();
      assertThat(text.isFinalFragment()).isTrue();
      assertThat(text.rsv()).isZero();
      assertThat((Object) client.readInbound()).as("one frame, nothing left over").isNull();
      String read = text.text();
      text.release();
      return read;
    } finally {
      client.finishAndReleaseAll();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 65_535, 65_536, 70_000})
  void everyLengthEncodingReadsBackAsTheText(int length) {
    String text = "x".repeat(length);

    ByteBuf frame = SharedFrames.encode(text.getBytes(StandardCharsets.UTF_8), ALLOC);

    int header = length <= 125 ? 2 : length <= 65_535 ? 4 : 10;
    assertThat(frame.readableBytes()).isEqualTo(header + length);
    assertThat(clientReads(frame)).isEqualTo(text);
  }

  @Test
  void theRecipientsOfOneEventShareOneFrame() {
    byte[] event = "{\"type\":\"down.pub\",\"seq\":1}".getBytes(StandardCharsets.UTF_8);

    ByteBuf first = SharedFrames.textFrame(event, ALLOC);
    ByteBuf second = SharedFrames.textFrame(event, ALLOC);

    assertThat(second.unwrap()).as("the same bytes underneath").isSameAs(first.unwrap());
    assertThat(clientReads(first)).isEqualTo("{\"type\":\"down.pub\",\"seq\":1}");
    assertThat(clientReads(second))
        .as("each recipient reads the whole frame")
        .isEqualTo("{\"type\":\"down.pub\",\"seq\":1}");
  }

  @Test
  void theNextEventsFrameReleasesThePreviousOnceItsRecipientsAreDone() {
    ByteBuf first = SharedFrames.textFrame("{\"seq\":1}".getBytes(StandardCharsets.UTF_8), ALLOC);
    ByteBuf shared = first.unwrap();
    first.release();
    assertThat(shared.refCnt()).as("kept for the next recipient of the same event").isEqualTo(1);

    ByteBuf next = SharedFrames.textFrame("{\"seq\":2}".getBytes(StandardCharsets.UTF_8), ALLOC);

    assertThat(shared.refCnt()).isZero();
    assertThat(next.unwrap()).isNotSameAs(shared);
    assertThat(clientReads(next)).isEqualTo("{\"seq\":2}");
  }

  @Test
  void aConnectionWithoutCompressionWritesTheSharedBytesOneWithPermessageDeflateAFrameOfItsOwn() {
    ServerMetrics metrics = new ServerMetrics(false);
    // an upgraded connection's first stage: the shared frames go in below it, encoded already
    EmbeddedChannel plain = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    // what the handshake adds once permessage-deflate is agreed: an encoder of the extension
    EmbeddedChannel deflating =
        new EmbeddedChannel(
            new WebSocketExtensionEncoder() {
              @Override
              protected void encode(
                  ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
                out.add(frame.retain());
              }
            });
    byte[] event = "{\"seq\":3}".getBytes(StandardCharsets.UTF_8);
    try {
      for (EmbeddedChannel channel : List.of(plain, deflating)) {
        NettyTransport transport = new NettyTransport(channel, metrics);
        transport.write(event);
        transport.flush();
      }

      ByteBuf shared = plain.readOutbound();
      assertThat(clientReads(shared)).isEqualTo("{\"seq\":3}");
      TextWebSocketFrame own = deflating.readOutbound();
      assertThat(own.text()).isEqualTo("{\"seq\":3}");
      own.release();
    } finally {
      plain.finishAndReleaseAll();
      deflating.finishAndReleaseAll();
      metrics.close();
    }
  }
}
