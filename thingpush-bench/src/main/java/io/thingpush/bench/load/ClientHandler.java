package io.thingpush.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated app. Against ThingPush: waits for the first frame, sends its {@code up.sub}
 * and is ready on a 200 {@code down.subRet}; against the baseline: ready once upgraded. Then
 * it counts every push. A stalled client stops reading once ready, like an app whose network
 * went quiet.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
  private final String subscribe;
  private final boolean stall;
  private final Receipts receipts;
  private final CompletableFuture<Void> ready;
  private boolean helloSeen;
  private boolean closeSeen;

  /** @param subscribe the {@code up.sub} message, or null for the baseline */
  ClientHandler(String subscribe, boolean stall, Receipts receipts, CompletableFuture<Void> ready) {
    this.subscribe = subscribe;
    this.stall = stall;
    this.receipts = receipts;
    this.ready = ready;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && subscribe == null) {
      becomeReady(ctx);
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    try {
      if (msg instanceof TextWebSocketFrame text) {
        onText(ctx, text.content(), now);
      } else if (msg instanceof CloseWebSocketFrame close) {
        closeSeen = true;
        receipts.closed(close.statusCode());
        ctx.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(ChannelHandlerContext ctx, ByteBuf content, long now) {
    if (ready.isDone()) {
      receipts.delivered(content, now);
      return;
    }
    String text = content.toString(StandardCharsets.UTF_8);
    if (!text.startsWith("{\"code\":200")) {
      ready.completeExceptionally(new IllegalStateException("refused: " + text));
      ctx.close();
    } else if (!helloSeen) {
      helloSeen = true;
      ctx.writeAndFlush(new TextWebSocketFrame(subscribe));
    } else if (text.contains("\"down.subRet\"")) {
      becomeReady(ctx);
    }
  }

  private void becomeReady(ChannelHandlerContext ctx) {
    if (stall) {
      ctx.channel().config().setAutoRead(false);
    }
    ready.complete(null);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!ready.isDone()) {
      ready.completeExceptionally(new IllegalStateException("connection closed before it was ready"));
    } else if (!closeSeen) {
      receipts.closed(Receipts.NO_CLOSE_FRAME);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ready.completeExceptionally(cause);
    ctx.close();
  }
}
