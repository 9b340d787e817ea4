package io.thingpush.server.ws;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.thingpush.core.fanout.Transport;
import io.thingpush.protocol.CloseCode;
import io.thingpush.server.observe.ServerMetrics;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A WebSocket channel as the core's transport: writes text frames, flushes, closes. */
final class NettyTransport implements Transport {
  /**
   * Where shared frames come from: the pooled allocator, whose duplicates are recycled; a buffer
   * of the adaptive one (Netty 4.2's default) makes a new duplicate object for every recipient.
   */
  private static final ByteBufAllocator SHARED_FRAMES = PooledByteBufAllocator.DEFAULT;

  private static final long CLOSE_GRACE_MILLIS = 1_000;

  /** How long a connection being closed may hold its socket, however far behind its reader is. */
  private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

  private final Channel channel;
  private final ServerMetrics metrics;

  /**
   * Where frames go in, known from the first write on (which follows the upgrade): without an
   * extension, the first stage's context, whose writes go straight to the socket (the frames are
   * encoded already: the WebSocket stages would only pass them on); with permessage-deflate, the
   * channel, whose extension encoder compresses each frame for this connection alone.
   */
  private ChannelOutboundInvoker out;

  private boolean compressed;

  NettyTransport(Channel channel, ServerMetrics metrics) {
    this.channel = channel;
    this.metrics = metrics;
  }

  @Override
  public ScheduledExecutorService executor() {
    return channel.eventLoop();
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  /**
   * Writes the frame's bytes as they go on the wire, shared with the other connections of this
   * event loop; a connection with permessage-deflate gets a frame object its extension
   * compresses for it alone.
   */
  @Override
  public void write(byte[] frame) {
    if (out == null) {
      ChannelPipeline pipeline = channel.pipeline();
      compressed = pipeline.get(WebSocketExtensionEncoder.class) != null;
      ChannelHandlerContext first = pipeline.firstContext();
      out = compressed || first == null ? channel : first;
    }
    if (compressed) {
      channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), channel.voidPromise());
    } else {
      out.write(SharedFrames.textFrame(frame, SHARED_FRAMES), out.voidPromise());
    }
  }

  @Override
  public void flush() {
    (out == null ? channel : out).flush();
  }

  @Override
  public void close(CloseCode code, String reason) {
    closeChannel(channel, code, reason, metrics);
  }

  /**
   * Sends a close frame; the TCP connection closes when the client answers it, a grace period
   * after the frame went out, or at the latest {@link #CLOSE_TIMEOUT_MILLIS} after this call. A
   * client that stopped reading has a backlog to take before the frame (the frames the socket
   * already holds; what the connection had queued beyond them was dropped): closing before it
   * can would lose the frame and leave it a 1006 instead of the code. Every close the server
   * decides goes through here, and is counted by its code.
   */
  static void closeChannel(Channel channel, CloseCode code, String reason, ServerMetrics metrics) {
    if (channel.isActive() && channel.attr(CloseHandshake.CLOSE_SENT).getAndSet(true) == null) {
      metrics.closed(code);
      // RFC 6455 §7.1.1: the TCP connection closes when the client answers with its close frame
      // (CloseHandshake) or after the grace period. Closing as soon as the frame is written
      // would reset a connection the client is still sending on, and the client would lose the
      // close frame (1006 instead of the code).
      channel
          .writeAndFlush(new CloseWebSocketFrame(code.code(), closeReason(reason)))
          .addListener(
              sent ->
                  channel
                      .eventLoop()
                      .schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS));
      channel
          .eventLoop()
          .schedule(() -> channel.close(), CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
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
