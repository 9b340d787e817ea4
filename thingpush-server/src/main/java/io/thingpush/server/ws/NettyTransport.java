package io.thingpush.server.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.thingpush.core.fanout.Transport;
import io.thingpush.protocol.CloseCode;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A WebSocket channel as the core's transport: writes text frames, flushes, closes. */
final class NettyTransport implements Transport {
  private static final long CLOSE_GRACE_MILLIS = 1_000;

  private final Channel channel;

  NettyTransport(Channel channel) {
    this.channel = channel;
  }

  @Override
  public ScheduledExecutorService executor() {
    return channel.eventLoop();
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public void write(byte[] frame) {
    channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), channel.voidPromise());
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public void close(CloseCode code, String reason) {
    closeChannel(channel, code, reason);
  }

  /**
   * Sends a close frame and closes the TCP connection once it is written, or after a grace
   * period: a client that does not read never takes the frame, and must not hold the socket.
   */
  static void closeChannel(Channel channel, CloseCode code, String reason) {
    if (channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(code.code(), closeReason(reason)))
          .addListener(ChannelFutureListener.CLOSE);
      channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** A close reason must be short printable ASCII (SPEC §4): anything else becomes '?'. */
  static String closeReason(String reason) {
    StringBuilder ascii = new StringBuilder(Math.min(reason.length(), 123));
    for (int i = 0; i < reason.length() && ascii.length() < 123; i++) {
      char c = reason.charAt(i);
      ascii.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return ascii.toString();
  }
}
