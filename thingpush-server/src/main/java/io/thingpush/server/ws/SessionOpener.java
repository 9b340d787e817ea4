package io.thingpush.server.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
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

/**
 * Opens the core session of each upgraded WebSocket connection, or refuses it: one for all the
 * connections of the server, whose {@link SessionHandler}s would otherwise each hold what it
 * holds.
 */
final class SessionOpener {
  // Refusals are logged under the stage that meets the connection, as they always were.
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  private final Sessions sessions;
  private final ConnectParams params;
  private final LongSupplier connectIds;
  private final ServerMetrics metrics;

  SessionOpener(
      Sessions sessions, ConnectParams params, LongSupplier connectIds, ServerMetrics metrics) {
    this.sessions = sessions;
    this.params = params;
    this.connectIds = connectIds;
    this.metrics = metrics;
  }

  ServerMetrics metrics() {
    return metrics;
  }

  /**
   * The session of the connection whose upgrade asked for {@code uri} with {@code headers}; null
   * when it is refused, which the client is told before the connection closes.
   */
  Session open(ChannelHandlerContext ctx, String uri, HttpHeaders headers) {
    ConnectRequest request = connectRequest(uri, headers);
    long connectId = connectIds.getAsLong();
    TraceId trace = TraceId.next();
    try {
      return sessions.open(new NettyTransport(ctx.channel(), metrics), request, connectId, trace);
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
      return null;
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
}
