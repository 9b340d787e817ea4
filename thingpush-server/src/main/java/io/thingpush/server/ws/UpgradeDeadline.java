package io.thingpush.server.ws;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose upgrade request is not whole within the time-out of its start: a
 * client that sends nothing, or trickles its headers, holds no socket for long. The server's
 * answer to the request (the upgrade, or an HTTP error), seen here before the codec encodes it,
 * ends the watch.
 */
final class UpgradeDeadline extends ChannelDuplexHandler {
  private final long timeoutMillis;
  private ScheduledFuture<?> expiry;

  UpgradeDeadline(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Before the WebSocket handler: a close from here sends no close frame on a connection never
    // upgraded.
    expiry = ctx.executor().schedule(() -> ctx.close(), timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse) {
      ctx.pipeline().remove(this);
    }
    ctx.write(msg, promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    expiry.cancel(false);
  }
}
