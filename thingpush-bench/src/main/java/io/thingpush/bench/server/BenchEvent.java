package io.thingpush.bench.server;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark event: a {@code devicePropertyReport} whose {@code param} carries the time the
 * event was sent ({@code sent}, {@link System#nanoTime()}: one clock for every process of the
 * machine) and padding that brings the whole {@code down.pub} frame to the size asked for.
 */
public final class BenchEvent {
  private BenchEvent() {}

  /** Padding for frames of about {@code frameBytes} bytes. */
  public static String pad(int frameBytes) {
    int bare =
        frame(1_000_000, "dev-10000", System.currentTimeMillis(), System.nanoTime(), "")
            .getBytes(StandardCharsets.UTF_8)
            .length;
    return "x".repeat(Math.max(0, frameBytes - bare));
  }

  /** The {@code down.pub} frame ThingPush sends for this event, byte for byte; the baseline's frame. */
  public static String frame(
      long seq, String deviceName, long timestampMillis, long sentNanos, String pad) {
    return "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.pub\",\"path\":\"devicePropertyReport\",\"seq\":"
        + seq
        + ",\"body\":{\"device\":{\"productID\":\"bench-sensor\",\"deviceName\":\""
        + deviceName
        + "\"},\"timestamp\":\""
        + timestampMillis
        + "\",\"identifier\":\"v\",\"param\":"
        + param(sentNanos, pad)
        + "}}";
  }

  /** The property's value: {@code {"sent":<nanos>,"pad":"…"}}. */
  public static String param(long sentNanos, String pad) {
    return "{\"sent\":" + sentNanos + ",\"pad\":\"" + pad + "\"}";
  }
}
