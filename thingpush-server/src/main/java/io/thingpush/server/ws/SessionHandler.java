package io.thingpush.server.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.thingpush.core.session.ConnectParams;
import io.thingpush.core.session.ConnectRequest;
import io.thingpush.core.session.ConnectionLog;
import io.thingpush.core.session.Session;
import io.thingpush.core.session.Sessions;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.LogSafe;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceId;
import io.thingpush.server.observe.ServerMetrics;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Opens the core session once the upgrade is done, then hands it every client message. */
final class SessionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  private final Sessions sessions;
  private final ConnectParams params;
  private final LongSupplier connectIds;
  private final ServerMetrics metrics;
  private Session session;

  SessionHandler(
      Sessions sessions, ConnectParams params, LongSupplier connectIds, ServerMetrics metrics) {
    this.sessions = sessions;
    this.params = params;
    this.connectIds = connectIds;
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
      open(ctx, connectRequest(done.requestUri(), done.requestHeaders()));
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void open(ChannelHandlerContext ctx, ConnectRequest request) {
    long connectId = connectIds.getAsLong();
    TraceId trace = TraceId.next();
    try {
      session =
          sessions.open(new NettyTransport(ctx.channel(), metrics), request, connectId, trace);
    } catch (ThingPushException e) {
      String traceparent = trace.toString();
      ConnectionLog.at(LOG, Level.INFO, Long.toString(connectId), traceparent).log(
          "connectID={} Traceparent={} refused from {}: {} {}",
          connectId,
          traceparent,
          ctx.channel().remoteAddress(),
          e.code().code(),
          LogSafe.of(e.message(Lang.EN)));
      ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(Frames.refused(request.lang(), e))));
      NettyTransport.closeChannel(
          ctx.channel(), CloseCode.forRefusal(e.code()), e.message(Lang.EN), metrics);
    }
  }

  /** The parameters of the upgrade, under every name of {@link ConnectParams}. */
  private ConnectRequest connectRequest(String uri, HttpHeaders headers) {
    QueryStringDecoder query = new QueryStringDecoder(uri);
    return params.read(
        headers::get,
        name -> {
          List<String> values = query.parameters().get(name);
          return values == null || values.isEmpty() ? null : values.get(0);
        },
        Lang.fromAcceptLanguage(headers.get(HttpHeaderNames.ACCEPT_LANGUAGE)));
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
      NettyTransport.closeChannel(ctx.channel(), frameError.code(), frameError.reason(), metrics);
      return;
    }
    LOG.debug("{} connection error", session == null ? ctx.channel() : session, cause);
    ctx.close();
  }
}
