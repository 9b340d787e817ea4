package io.thingpush.server.ws;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;

/**
 * The closing handshake (RFC 6455 §5.5.1): a close the client starts is answered with the same
 * code, then the connection ends; a close the server started ends when the client's answer
 * arrives, with nothing sent after the server's close frame (a browser fails a connection that
 * gets a second close frame, and reports 1006 instead of the server's code).
 */
final class CloseHandshake {
  /** Set on a channel once the server has sent its close frame. */
  static final AttributeKey<Boolean> CLOSE_SENT = AttributeKey.valueOf("thingpush.closeSent");

  private CloseHandshake() {}

  /** The client's close frame, which this releases. */
  static void received(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
    if (Boolean.TRUE.equals(ctx.channel().attr(CLOSE_SENT).get())) {
      close.release();
      ctx.close();
      return;
    }
    ctx.channel().attr(CLOSE_SENT).set(true);
    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
        .addListener(ChannelFutureListener.CLOSE);
    close.release();
  }
}
