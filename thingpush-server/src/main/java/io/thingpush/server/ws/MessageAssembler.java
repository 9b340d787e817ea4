package io.thingpush.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.thingpush.protocol.CloseCode;
import io.thingpush.server.observe.ServerMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins the frames of one message and enforces the message size limit on the whole message,
 * however it is fragmented (close 1009 past it). Emits a {@link ClientMessage} per message.
 */
final class MessageAssembler extends ChannelInboundHandlerAdapter {
  private final int maxBytes;
  private final ServerMetrics metrics;
  private ByteBuf pending;
  private boolean pendingBinary;
  private boolean tooBig;

  MessageAssembler(int maxBytes, ServerMetrics metrics) {
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
        || msg instanceof ContinuationWebSocketFrame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    try {
      if (tooBig) {
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
        tooBig = true;
        reset();
        NettyTransport.closeChannel(ctx.channel(), CloseCode.MESSAGE_TOO_BIG, "message too big", metrics);
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

  private static ClientMessage text(ByteBuf bytes) {
    ByteBuffer buffer = bytes.nioBuffer();
    try {
      return new ClientMessage(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(buffer)
          .toString(), null);
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
