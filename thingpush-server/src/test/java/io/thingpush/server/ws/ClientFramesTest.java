package io.thingpush.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.thingpush.server.observe.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stage that makes one {@link ClientMessage} of the frames of a message: fragments joined,
 * the size limit applied to the whole message, bad bytes named, and a close with its code when
 * a message cannot be taken. (Its closing handshake: {@link CloseHandshakeTest}.)
 */
class ClientFramesTest {
  private static final int MAX = 16;
  private final ServerMetrics metrics = new ServerMetrics(false);
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new ClientFrames(MAX, new Heartbeat(10_000, 5), metrics));

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
    metrics.close();
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  private ClientMessage message() {
    Object read = channel.readInbound();
    assertThat(read).isInstanceOf(ClientMessage.class);
    return (ClientMessage) read;
  }

  /** The close frame the stage sent, and that the server counted it. */
  private void assertClosedWith(int code, String reason) {
    CloseWebSocketFrame close = channel.readOutbound();
    assertThat(close).as("close frame").isNotNull();
    try {
      assertThat(close.statusCode()).isEqualTo(code);
      assertThat(close.reasonText()).isEqualTo(reason);
    } finally {
      close.release();
    }
    assertThat(metrics.scrape()).contains("thingpush_closes_total{code=\"" + code + "\"} 1.0");
    assertThat((Object) channel.readInbound()).as("no message").isNull();
  }

  @Test
  void aTextFrameIsOneMessage() {
    TextWebSocketFrame frame = new TextWebSocketFrame("{\"a\":1}");

    channel.writeInbound(frame);

    assertThat(message()).isEqualTo(new ClientMessage("{\"a\":1}", null));
    assertThat(frame.refCnt()).as("released").isZero();
  }

  @Test
  void fragmentsAreJoinedIntoOneMessage() {
    channel.writeInbound(new TextWebSocketFrame(false, 0, bytes("{\"a\":")));
    assertThat((Object) channel.readInbound()).as("nothing before the last fragment").isNull();
    channel.writeInbound(new ContinuationWebSocketFrame(false, 0, bytes("12")));
    channel.writeInbound(new ContinuationWebSocketFrame(true, 0, bytes("3}")));

    assertThat(message().text()).isEqualTo("{\"a\":123}");
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsReadWhole() {
    byte[] utf8 = "成功".getBytes(StandardCharsets.UTF_8);

    channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(utf8, 0, 2)));
    channel.writeInbound(
        new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(utf8, 2, utf8.length - 2)));

    assertThat(message().text()).isEqualTo("成功");
  }

  @Test
  void aBinaryMessageIsNamedAsSuch() {
    channel.writeInbound(
        new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {1, 2})));
    channel.writeInbound(
        new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {3})));

    assertThat(message()).isSameAs(ClientMessage.BINARY);
  }

  @Test
  void bytesThatAreNotUtf8AreNamedAsSuch() {
    channel.writeInbound(
        new TextWebSocketFrame(
            true, 0, Unpooled.wrappedBuffer(new byte[] {'{', (byte) 0xC3, '}'})));

    assertThat(message()).isSameAs(ClientMessage.INVALID_TEXT);
  }

  @Test
  void aMessageOfExactlyTheLimitIsTaken() {
    channel.writeInbound(new TextWebSocketFrame(false, 0, bytes("x".repeat(MAX - 4))));
    channel.writeInbound(new ContinuationWebSocketFrame(true, 0, bytes("yyyy")));

    assertThat(message().text()).isEqualTo("x".repeat(MAX - 4) + "yyyy");
    assertThat((Object) channel.readOutbound()).isNull();
  }

  @Test
  void fragmentsOverTheLimitTogetherClose1009AndWhatFollowsIsDropped() {
    ContinuationWebSocketFrame after = new ContinuationWebSocketFrame(true, 0, bytes("z"));

    channel.writeInbound(new TextWebSocketFrame(false, 0, bytes("x".repeat(MAX - 4))));
    channel.writeInbound(new ContinuationWebSocketFrame(false, 0, bytes("yyyyy")));
    channel.writeInbound(after);
    channel.writeInbound(new TextWebSocketFrame("{}"));

    assertClosedWith(1009, "message too big");
    assertThat(after.refCnt()).as("dropped and released").isZero();
  }

  @Test
  void theConnectionClosesAfterItsCloseFrameWhenTheClientDoesNotAnswer() {
    channel.writeInbound(new TextWebSocketFrame("x".repeat(MAX + 1)));
    assertClosedWith(1009, "message too big");
    assertThat(channel.isOpen()).as("open while the client may answer").isTrue();

    channel.advanceTimeBy(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void reservedBitsNoExtensionTookClose1002() {
    channel.writeInbound(new TextWebSocketFrame(true, 0b100, bytes("{}")));

    assertClosedWith(1002, "reserved bits set without a negotiated extension");
  }

  @Test
  void aContinuationWithoutAStartIsDropped() {
    ContinuationWebSocketFrame stray = new ContinuationWebSocketFrame(true, 0, bytes("{}"));

    channel.writeInbound(stray);

    assertThat((Object) channel.readInbound()).isNull();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(stray.refCnt()).isZero();
  }

  @Test
  void aPingPassesThroughUntouchedAndAPongStopsHere() {
    WebSocketFrame ping = new PingWebSocketFrame(bytes("p"));
    WebSocketFrame pong = new PongWebSocketFrame(bytes("p"));

    channel.writeInbound(ping, pong);

    assertThat((Object) channel.readInbound()).isSameAs(ping);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(ping.refCnt()).isEqualTo(1);
    assertThat(pong.refCnt()).as("released").isZero();
    ping.release();
  }
}
