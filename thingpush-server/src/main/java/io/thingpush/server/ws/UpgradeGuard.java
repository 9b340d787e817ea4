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
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.ThingPushException;

/**
 * Lets WebSocket upgrades of the connect path through and answers anything else itself with a
 * JSON body: 400 for a plain request to the connect path, 404 elsewhere.
 */
final class UpgradeGuard extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final String path;

  UpgradeGuard(String path) {
    super(false);
    this.path = path;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean onPath = new QueryStringDecoder(request.uri()).path().equals(path);
    boolean upgrade = request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    if (onPath && upgrade) {
      // Nothing but WebSocket frames follows an upgrade: the guard leaves the pipeline.
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(request);
      return;
    }
    Lang lang = Lang.fromAcceptLanguage(request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE));
    request.release();
    ThingPushException error = onPath
        ? new ThingPushException(ErrorCode.PARAMETER, "WebSocket upgrade required")
        : new ThingPushException(ErrorCode.NOT_FOUND, "no such path");
    FullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        onPath ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.NOT_FOUND,
        Unpooled.wrappedBuffer(Frames.refused(lang, error)));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
