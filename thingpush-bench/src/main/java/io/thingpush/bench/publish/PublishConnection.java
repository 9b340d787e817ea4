package io.thingpush.bench.publish;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.thingpush.bench.BenchRegistry;
import io.thingpush.bench.server.BenchEvent;
import io.thingpush.bench.server.ServerCommand;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection to the publish API, one request at a time: flat out, the next
 * request goes when the answer came; at a rate, each request has a due time on the connection's
 * own schedule and its latency counts from then (a late answer delays the next request and
 * shows as its latency: no coordinated omission). A request is written as bytes, its head encoded
 * once, as a lean keep-alive client would; only the answers go through an HTTP decoder.
 */
final class PublishConnection extends ChannelInboundHandlerAdapter {
  private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** The request's head up to its Content-Length value: the same on every request, encoded once. */
  private final byte[] head;

  private final int first;
  private final int devices;
  private final String pad;
  private final PublishStats stats;
  private ChannelHandlerContext ctx;
  private double nanosPerRequest;
  private long start;
  private long end;
  private long requests;
  private long due;
  private int status;
  private boolean waiting;
  private boolean timerSet;

  PublishConnection(String host, int first, int devices, String pad, PublishStats stats) {
    this.head =
        ("POST /api/v1/push/publish HTTP/1.1\r\n"
                + "host: "
                + host
                + "\r\nauthorization: Bearer "
                + ServerCommand.PUBLISH_KEY
                + "\r\ncontent-type: application/json\r\ncontent-length: ")
            .getBytes(StandardCharsets.US_ASCII);
    this.first = first;
    this.devices = devices;
    this.pad = pad;
    this.stats = stats;
  }

  // Set before the connect completes: channelActive may come after connect().sync() returns.
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Publishes for {@code durationNanos} at {@code perSecond} on this connection (0: flat out), starting {@code offsetNanos} in. */
  void drive(double perSecond, long offsetNanos, long durationNanos) {
    ctx.executor()
        .execute(
            () -> {
              nanosPerRequest = perSecond > 0 ? 1e9 / perSecond : 0;
              start = System.nanoTime() + offsetNanos;
              end = System.nanoTime() + durationNanos;
              requests = 0;
              next();
            });
  }

  /** Sends the next request when none is waiting for its answer and it is due (else sets a timer for it). */
  private void next() {
    long now = System.nanoTime();
    if (waiting || timerSet || now >= end) {
      return;
    }
    long nextDue = nanosPerRequest > 0 ? start + (long) (requests * nanosPerRequest) : now;
    if (nextDue > now) {
      timerSet = true;
      ctx.executor()
          .schedule(
              () -> {
                timerSet = false;
                next();
              },
              nextDue - now,
              TimeUnit.NANOSECONDS);
      return;
    }
    due = nextDue;
    requests++;
    String device = BenchRegistry.deviceName((int) ((first + requests) % devices));
    byte[] body =
        ("{\"code\":\"devicePropertyReport\",\"device\":{\"productID\":\""
                + BenchRegistry.PRODUCT
                + "\",\"deviceName\":\""
                + device
                + "\"},\"payload\":{\"identifier\":\""
                + BenchRegistry.IDENTIFIER
                + "\",\"param\":"
                + BenchEvent.param(due, pad)
                + "}}")
            .getBytes(StandardCharsets.UTF_8);
    ByteBuf request = ctx.alloc().buffer(head.length + 16 + body.length);
    request.writeBytes(head);
    ByteBufUtil.writeAscii(request, Integer.toString(body.length));
    request.writeBytes(END_OF_HEAD);
    request.writeBytes(body);
    waiting = true;
    stats.sent();
    ctx.writeAndFlush(request, ctx.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpResponse response) {
        status = response.status().code();
      }
      if (msg instanceof LastHttpContent) {
        waiting = false;
        stats.answered(status, System.nanoTime() - due);
        next();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stats.closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
