package io.thingpush.server.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.thingpush.protocol.CloseCode;
import io.thingpush.server.observe.ServerMetrics;
import java.util.concurrent.TimeUnit;

/** Pings the client every interval and closes the connection after {@code misses} unanswered pings. */
final class Heartbeat extends ChannelInboundHandlerAdapter {
  private final long intervalMillis;
  private final int misses;
  private final ServerMetrics metrics;
  private int unanswered;
  private ScheduledFuture<?> ticks;

  Heartbeat(long intervalMillis, int misses, ServerMetrics metrics) {
    this.intervalMillis = intervalMillis;
    this.misses = misses;
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      ticks =
          ctx.executor()
              .scheduleAtFixedRate(
                  () -> tick(ctx), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void tick(ChannelHandlerContext ctx) {
    if (unanswered >= misses) {
      ticks.cancel(false);
      NettyTransport.closeChannel(
          ctx.channel(),
          CloseCode.PING_TIMEOUT,
          "no pong to the last " + misses + " pings",
          metrics);
      return;
    }
    unanswered++;
    ctx.writeAndFlush(new PingWebSocketFrame());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof PongWebSocketFrame pong) {
      unanswered = 0;
      pong.release();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ticks != null) {
      ticks.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
