package io.thingpush.server.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.sse.SseHandler;

/**
 * Lets WebSocket upgrades of the connect path and requests of the event-stream path through
 * and answers anything else itself with a JSON body: 414 / 431 for a request line / headers over
 * their limit (so that a token too long to read is told so), 400 for a plain request to the
 * connect path, 404 elsewhere.
 */
final class UpgradeGuard extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final ThingPushConfig.Ws config;

  UpgradeGuard(ThingPushConfig.Ws config) {
    super(false);
    this.config = config;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    boolean onPath = path.equals(config.path());
    boolean upgrade =
        request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    Throwable unreadable = request.decoderResult().cause();
    if (unreadable == null && (onPath && upgrade || path.equals(SseHandler.PATH))) {
      // Nothing but WebSocket frames follows an upgrade, nothing at all a stream: the guard leaves
      // the pipeline.
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(request);
      return;
    }
    Lang lang = Lang.fromAcceptLanguage(request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE));
    request.release();
    HttpResponseStatus status;
    String reason;
    if (unreadable instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      reason =
          "request line over " + config.maxRequestLineBytes() + " bytes (ws.maxRequestLineBytes)";
    } else if (unreadable instanceof TooLongHttpHeaderException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      reason = "request headers over " + config.maxHeaderBytes() + " bytes (ws.maxHeaderBytes)";
    } else if (unreadable != null) {
      status = HttpResponseStatus.BAD_REQUEST;
      reason = "malformed HTTP request";
    } else {
      status = onPath ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.NOT_FOUND;
      reason = onPath ? "WebSocket upgrade required" : "no such path";
    }
    ErrorCode code =
        status == HttpResponseStatus.NOT_FOUND ? ErrorCode.NOT_FOUND : ErrorCode.PARAMETER;
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.wrappedBuffer(Frames.refused(lang, new ThingPushException(code, reason))));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
