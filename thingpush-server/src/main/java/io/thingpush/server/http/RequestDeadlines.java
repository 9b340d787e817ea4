package io.thingpush.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;

/**
 * The time-outs of one HTTP connection, so that a client that sends nothing or trickles its
 * request holds no socket for long: a request head must be whole within {@code headersTimeoutMs}
 * of the connection's start (within {@code idleTimeoutMs} of the previous answer on a kept-alive
 * connection), its body within {@code bodyTimeoutMs} of the head. An answer takes as long as it
 * takes. Sits next to Vert.x's HTTP codec, where each request and answer begins and ends shows.
 */
final class RequestDeadlines extends ChannelDuplexHandler {
  private final ThingPushConfig.Http config;

  /** The shortest time-out: the timer never fires later than this ahead of its setting. */
  private final long shortestNanos;

  /**
   * The one timer of the connection, or null. It is not moved for each request: when it fires
   * before the deadline it is set again, so a request costs no timer.
   */
  private ScheduledFuture<?> timer;

  /** Whether a deadline runs, and which: its time, whether it is a body's, its length. */
  private boolean armed;

  private long deadline;
  private boolean bodyDeadline;
  private long deadlineMillis;

  private boolean readingBody;

  /** Requests whose answer has not ended. */
  private int unanswered;

  private RequestDeadlines(ThingPushConfig.Http config) {
    this.config = config;
    this.shortestNanos =
        TimeUnit.MILLISECONDS.toNanos(
            Math.min(
                config.headersTimeoutMs(),
                Math.min(config.bodyTimeoutMs(), config.idleTimeoutMs())));
  }

  /** Watches a connection of the HTTP port, from its start. */
  static void watch(HttpConnection connection, ThingPushConfig.Http config) {
    // Vert.x has no request-head or body time-out; its connection is a Netty channel, and its
    // own handler the last of the pipeline, behind the HTTP codec.
    ChannelHandlerContext vertx = ((ConnectionBase) connection).channelHandlerContext();
    vertx.pipeline().addBefore(vertx.name(), "request-deadlines", new RequestDeadlines(config));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx, config.headersTimeoutMs(), false);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      unanswered++;
      readingBody = true;
      arm(ctx, config.bodyTimeoutMs(), true);
    }
    if (msg instanceof LastHttpContent && readingBody) {
      readingBody = false;
      if (unanswered == 0) {
        arm(ctx, config.idleTimeoutMs(), false);
      } else {
        disarm();
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean informational =
        msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (msg instanceof LastHttpContent
        && !informational
        && unanswered > 0
        && --unanswered == 0
        && !readingBody) {
      arm(ctx, config.idleTimeoutMs(), false);
    }
    ctx.write(msg, promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    armed = false;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void arm(ChannelHandlerContext ctx, long millis, boolean body) {
    long now = System.nanoTime();
    armed = true;
    deadline = now + TimeUnit.MILLISECONDS.toNanos(millis);
    bodyDeadline = body;
    deadlineMillis = millis;
    // A running timer fires at the latest the shortest time-out after it was set: before this
    // deadline, where it sets itself again.
    if (timer == null) {
      setTimer(ctx, now);
    }
  }

  private void disarm() {
    armed = false;
  }

  /** Sets the timer for the deadline, or for the shortest time-out if that comes first. */
  private void setTimer(ChannelHandlerContext ctx, long now) {
    long delay = Math.min(deadline - now, shortestNanos);
    timer = ctx.executor().schedule(() -> fired(ctx), delay, TimeUnit.NANOSECONDS);
  }

  private void fired(ChannelHandlerContext ctx) {
    timer = null;
    if (!armed) {
      return;
    }
    long now = System.nanoTime();
    if (now - deadline < 0) {
      setTimer(ctx, now);
    } else {
      armed = false;
      expired(ctx, bodyDeadline, deadlineMillis);
    }
  }

  /** A head not whole is closed on without a word; a body not whole is told 408 first. */
  private static void expired(ChannelHandlerContext ctx, boolean body, long millis) {
    if (!body) {
      ctx.close();
      return;
    }
    ThingPushException late =
        new ThingPushException(
            ErrorCode.PARAMETER, "request body not received within " + millis + " ms");
    FullHttpResponse timeout =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_TIMEOUT,
            Unpooled.wrappedBuffer(
                Json.bytes(
                    Json.object()
                        .put("code", late.code().code())
                        .put("msg", late.message(Lang.EN)))));
    timeout
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, timeout.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
  }
}
