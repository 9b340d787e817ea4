package io.thingpush.server.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.thingpush.core.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the core session once the upgrade is done, then hands it every client message. */
final class SessionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  private final SessionOpener opener;
  private Session session;

  SessionHandler(SessionOpener opener) {
    this.opener = opener;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
      session = opener.open(ctx, done.requestUri(), done.requestHeaders());
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ClientMessage message) || session == null) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    if (message.text() != null) {
      session.onText(message.text());
    } else {
      session.onUnreadable(message.unreadable());
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (session != null && ctx.channel().isWritable()) {
      session.recipient().onWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      session.onClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    FrameErrors frameError = session == null ? null : FrameErrors.of(cause);
    if (frameError != null) {
      NettyTransport.closeChannel(
          ctx.channel(), frameError.code(), frameError.reason(), opener.metrics());
      return;
    }
    LOG.debug("{} connection error", session == null ? ctx.channel() : session, cause);
    ctx.close();
  }
}
