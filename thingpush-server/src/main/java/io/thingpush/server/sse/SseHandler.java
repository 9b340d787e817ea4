package io.thingpush.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.thingpush.core.session.ConnectParams;
import io.thingpush.core.session.ConnectRequest;
import io.thingpush.core.session.ConnectionLog;
import io.thingpush.core.session.Session;
import io.thingpush.core.session.Sessions;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.LogSafe;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceId;
import io.thingpush.server.observe.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Server-Sent Events (SPEC §10) on the WebSocket's port: {@code GET} {@value #PATH} with the
 * connect parameters of §1 and {@code sub=<up.sub body>} parameters opens a session as a
 * WebSocket upgrade would, over a transport that writes events, and subscribes each {@code sub}
 * (from {@code Last-Event-ID} as {@code since} on a reconnect). What is not this path goes on to
 * the WebSocket stages; a stream leaves them.
 */
public final class SseHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  public static final String PATH = "/api/v1/system/common/sse/connect";
  private static final Logger LOG = LoggerFactory.getLogger(SseHandler.class);
  private static final String LAST_EVENT_ID = "Last-Event-ID";
  private static final ByteBuf HEARTBEAT =
      Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(":\n\n", StandardCharsets.US_ASCII));

  private final Sessions sessions;
  private final ConnectParams params;
  private final LongSupplier connectIds;
  private final ServerMetrics metrics;
  private final long heartbeatMillis;
  private final Consumer<ChannelPipeline> leaveWebSocket;
  private Session session;
  private ScheduledFuture<?> heartbeat;

  /**
   * @param heartbeatMillis how often an idle stream gets a comment line, so that proxies keep it
   * @param leaveWebSocket takes the WebSocket stages out of a pipeline that became a stream
   */
  public SseHandler(
      Sessions sessions,
      ConnectParams params,
      LongSupplier connectIds,
      ServerMetrics metrics,
      long heartbeatMillis,
      Consumer<ChannelPipeline> leaveWebSocket) {
    super(false);
    this.sessions = sessions;
    this.params = params;
    this.connectIds = connectIds;
    this.metrics = metrics;
    this.heartbeatMillis = heartbeatMillis;
    this.leaveWebSocket = leaveWebSocket;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (session != null) {
      request.release();
      return;
    }
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    if (!query.path().equals(PATH)) {
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(request);
      return;
    }
    Lang lang = Lang.fromAcceptLanguage(request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE));
    try {
      if (!request.method().equals(HttpMethod.GET)) {
        refuse(
            ctx,
            lang,
            HttpResponseStatus.METHOD_NOT_ALLOWED,
            new ThingPushException(
                ErrorCode.METHOD_NOT_SUPPORTED, "an event stream is opened with GET"));
        return;
      }
      ConnectRequest connect =
          params.read(request.headers()::get, name -> first(query, name), lang);
      List<String> subs = query.parameters().getOrDefault("sub", List.of());
      Long resumeAfter =
          lastEventId(request.headers().get(LAST_EVENT_ID), first(query, LAST_EVENT_ID));
      open(ctx, connect, subs, resumeAfter, lang);
    } catch (ThingPushException e) {
      refuse(ctx, lang, HttpResponseStatus.BAD_REQUEST, e);
    } finally {
      request.release();
    }
  }

  private void open(
      ChannelHandlerContext ctx,
      ConnectRequest connect,
      List<String> subs,
      Long resumeAfter,
      Lang lang) {
    long connectId = connectIds.getAsLong();
    TraceId trace = TraceId.next();
    leaveWebSocket.accept(ctx.pipeline());
    try {
      session =
          sessions.open(
              new SseTransport(ctx.channel(), metrics, new StreamPosition(subs.size())),
              connect,
              connectId,
              trace);
    } catch (ThingPushException e) {
      String traceparent = trace.toString();
      ConnectionLog.at(LOG, Level.INFO, Long.toString(connectId), traceparent).log(
          "connectID={} Traceparent={} event stream refused from {}: {} {}",
          connectId,
          traceparent,
          ctx.channel().remoteAddress(),
          e.code().code(),
          LogSafe.of(e.message(Lang.EN)));
      CloseCode close = CloseCode.forRefusal(e.code());
      metrics.closed(close);
      refuse(ctx, lang, statusOf(close), e);
      return;
    }
    for (String sub : subs) {
      JsonNode body = Json.parseOrNull(sub);
      if (resumeAfter != null && body instanceof ObjectNode resumed) {
        resumed.put("since", resumeAfter);
      }
      session.subscribeAtConnect(body);
    }
    heartbeat =
        ctx.executor()
            .scheduleAtFixedRate(
                () -> {
                  if (ctx.channel().isWritable()) {
                    ctx.writeAndFlush(HEARTBEAT.duplicate(), ctx.voidPromise());
                  }
                },
                heartbeatMillis,
                heartbeatMillis,
                TimeUnit.MILLISECONDS);
  }

  /** {@code Last-Event-ID} from the header (a browser's reconnect) or the query (a header wins). */
  private static Long lastEventId(String header, String query) {
    String value = header != null && !header.isEmpty() ? header : query;
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      long seq = Long.parseLong(value.trim());
      if (seq >= 0) {
        return seq;
      }
    } catch (NumberFormatException notASeq) {
      // refused below
    }
    throw new ThingPushException(ErrorCode.PARAMETER, "Last-Event-ID must be the seq of an event");
  }

  private static String first(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The HTTP status of a refusal that a WebSocket would close with {@code close}. */
  static HttpResponseStatus statusOf(CloseCode close) {
    return switch (close) {
      case TOKEN -> HttpResponseStatus.UNAUTHORIZED;
      case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
      case LIMIT -> HttpResponseStatus.TOO_MANY_REQUESTS;
      default -> HttpResponseStatus.BAD_REQUEST;
    };
  }

  /** A refused stream is an HTTP error with the refusal as JSON: a browser's EventSource does not retry it. */
  private static void refuse(
      ChannelHandlerContext ctx, Lang lang, HttpResponseStatus status, ThingPushException e) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(Frames.refused(lang, e)));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
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
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    if (session != null) {
      session.onClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("{} stream error", session == null ? ctx.channel() : session, cause);
    ctx.close();
  }
}
