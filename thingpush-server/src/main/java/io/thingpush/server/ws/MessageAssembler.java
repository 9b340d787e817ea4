package io.thingpush.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.thingpush.server.observe.ServerMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins the frames of one message and enforces the message size limit on the whole message,
 * however it is fragmented (close 1009 past it). Emits a {@link ClientMessage} per message. A
 * frame that still has a reserved bit set here had no extension to take it (permessage-deflate
 * clears RSV1 of what it inflates): the connection fails with 1002.
 */
final class MessageAssembler extends ChannelInboundHandlerAdapter {
  private final int maxBytes;
  private final ServerMetrics metrics;
  private ByteBuf pending;
  private boolean pendingBinary;
  private boolean failed;

  MessageAssembler(int maxBytes, ServerMetrics metrics) {
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof TextWebSocketFrame
        || msg instanceof BinaryWebSocketFrame
        || msg instanceof ContinuationWebSocketFrame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
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
    ctx.fireChannelInactive();
  }
}
