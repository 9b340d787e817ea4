package io.thingpush.server.sse;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.thingpush.core.fanout.Transport;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.Json;
import io.thingpush.server.observe.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An SSE stream as the core's transport: the response head before the first event, then each
 * frame as an event; a close is an {@code event: close} with the code and reason (SSE has no
 * close frame), then the end of the response.
 */
final class SseTransport implements Transport {
  /** How long a stream being closed may hold its socket for its reader to take the close event. */
  private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

  private static final AttributeKey<Boolean> CLOSING =
      AttributeKey.valueOf("thingpush-sse-closing");

  private final Channel channel;
  private final ServerMetrics metrics;
  private final StreamPosition position;
  private boolean headSent;

  SseTransport(Channel channel, ServerMetrics metrics, StreamPosition position) {
    this.channel = channel;
    this.metrics = metrics;
    this.position = position;
  }

  @Override
  public ScheduledExecutorService executor() {
    return channel.eventLoop();
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public void write(byte[] frame) {
    sendHead();
    SseEvents.Head head = SseEvents.head(frame);
    long id = position.idOf(head.type(), head.seq());
    if (id == StreamPosition.NONE || id == head.seq()) {
      channel.write(
          SseEvents.event(frame, id != StreamPosition.NONE, channel.alloc()),
          channel.voidPromise());
    } else {
      // The reply that completes the stream's subscriptions carries the lowest reply seq: its own
      // event.
      channel.write(
          SseEvents.encode(new SseEvents.Head(head.type(), id), true, frame, channel.alloc()),
          channel.voidPromise());
    }
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public void close(CloseCode code, String reason) {
    if (!channel.isActive() || channel.attr(CLOSING).getAndSet(true) != null) {
      return;
    }
    metrics.closed(code);
    sendHead();
    byte[] data = Json.bytes(Json.object().put("code", code.code()).put("reason", reason));
    byte[] event =
        ("event: close\ndata: " + new String(data, StandardCharsets.UTF_8) + "\n\n")
            .getBytes(StandardCharsets.UTF_8);
    channel.writeAndFlush(Unpooled.wrappedBuffer(event)).addListener(ChannelFutureListener.CLOSE);
    // A reader that stopped reading never takes it: the socket goes at the latest then.
    channel
        .eventLoop()
        .schedule(() -> channel.close(), CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The response head, once: a stream of events that never ends by itself. */
  private void sendHead() {
    if (headSent) {
      return;
    }
    headSent = true;
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set(HttpHeaderNames.CONNECTION, "close")
        // nginx and other proxies would otherwise hold events back to fill their buffers.
        .set("X-Accel-Buffering", "no");
    channel.write(head, channel.voidPromise());
  }
}
