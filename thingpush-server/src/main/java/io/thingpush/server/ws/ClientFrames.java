package io.thingpush.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.thingpush.protocol.CloseCode;
import io.thingpush.server.observe.ServerMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The frames a client sends, as they come out of the WebSocket decoder, in one stage (a stage
 * each would cost every connection a pipeline context each):
 *
 * <ul>
 *   <li>the frames of one message are joined, and the message size limit is enforced on the
 *       whole message however it is fragmented (close 1009 past it); a {@link ClientMessage} is
 *       emitted per message. A frame that still has a reserved bit set here had no extension to
 *       take it (permessage-deflate clears RSV1 of what it inflates): the connection fails with
 *       1002;
 *   <li>a close frame is the {@link CloseHandshake};
 *   <li>a pong answers the {@link Heartbeat}'s pings, which start once the upgrade is done.
 * </ul>
 */
final class ClientFrames extends ChannelInboundHandlerAdapter {
  private static final int NOT_PINGED = -1;

  /**
   * Where Netty keeps a connection's handshaker (with the URL the client asked for), to answer a
   * close frame with it. This stage answers close frames itself (the protocol handler is told not
   * to), so the connection need not hold it once upgraded.
   */
  private static final AttributeKey<WebSocketServerHandshaker> HANDSHAKER =
      AttributeKey.valueOf(WebSocketServerHandshaker.class, "HANDSHAKER");

  private final int maxBytes;
  private final Heartbeat heartbeat;
  private final ServerMetrics metrics;
  private ChannelHandlerContext ctx;
  private ByteBuf pending;
  private boolean pendingBinary;
  private boolean failed;
  private int unanswered;

  /** Where the heartbeat keeps this connection, or {@link #NOT_PINGED}. */
  private int pingSlot = NOT_PINGED;

  ClientFrames(int maxBytes, Heartbeat heartbeat, ServerMetrics metrics) {
    this.maxBytes = maxBytes;
    this.heartbeat = heartbeat;
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      this.ctx = ctx;
      pingSlot = heartbeat.join(this, ctx.executor());
      // Removed, not set to null: an attribute left empty still costs its slot and its array.
      ctx.channel().attr(HANDSHAKER).remove();
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * The heartbeat's turn for this connection: a ping, or the close after {@code misses}
   * unanswered ones. False when the connection is no longer pinged.
   */
  boolean ping(int misses) {
    if (!ctx.channel().isActive()) {
      pingSlot = NOT_PINGED;
      return false;
    }
    if (unanswered >= misses) {
      pingSlot = NOT_PINGED;
      NettyTransport.closeChannel(
          ctx.channel(),
          CloseCode.PING_TIMEOUT,
          "no pong to the last " + misses + " pings",
          metrics);
      return false;
    }
    unanswered++;
    ctx.writeAndFlush(new PingWebSocketFrame());
    return true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof PongWebSocketFrame pong) {
      unanswered = 0;
      pong.release();
    } else if (msg instanceof CloseWebSocketFrame close) {
      CloseHandshake.received(ctx, close);
    } else if (msg instanceof TextWebSocketFrame
        || msg instanceof BinaryWebSocketFrame
        || msg instanceof ContinuationWebSocketFrame) {
      assemble(ctx, (WebSocketFrame) msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void assemble(ChannelHandlerContext ctx, WebSocketFrame frame) {
    try {
      if (failed) {
        return;
      }
      if (frame.rsv() != 0) {
        fail(ctx, FrameErrors.RESERVED_BITS);
        return;
      }
      if (!(frame instanceof ContinuationWebSocketFrame)) {
        reset();
        pendingBinary = frame instanceof BinaryWebSocketFrame;
        pending = ctx.alloc().buffer(Math.min(frame.content().readableBytes(), maxBytes));
      } else if (pending == null) {
        return;
      }
      if (pending.readableBytes() + frame.content().readableBytes() > maxBytes) {
        fail(ctx, FrameErrors.TOO_BIG);
        return;
      }
      pending.writeBytes(frame.content());
      if (frame.isFinalFragment()) {
        ClientMessage message = pendingBinary ? ClientMessage.BINARY : text(pending);
        reset();
        ctx.fireChannelRead(message);
      }
    } finally {
      frame.release();
    }
  }

  private void fail(ChannelHandlerContext ctx, FrameErrors error) {
    failed = true;
    reset();
    NettyTransport.closeChannel(ctx.channel(), error.code(), error.reason(), metrics);
  }

  private static ClientMessage text(ByteBuf bytes) {
    ByteBuffer buffer = bytes.nioBuffer();
    try {
      return new ClientMessage(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(buffer)
              .toString(),
          null);
    } catch (CharacterCodingException e) {
      return ClientMessage.INVALID_TEXT;
    }
  }

  private void reset() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    reset();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    reset();
    if (pingSlot != NOT_PINGED) {
      heartbeat.leave(this, ctx.executor(), pingSlot);
      pingSlot = NOT_PINGED;
    }
    ctx.fireChannelInactive();
  }
}
