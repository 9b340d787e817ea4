package io.thingpush.bench.device;

import java.nio.charset.StandardCharsets;

/**
 * The property report a simulated device sends: {@code {"method":"report","msgToken":"<t>",
 * "params":{"v":{"sent":<t>,"pad":"…"}}}} with {@code t} its send time
 * ({@link System#nanoTime()}, one clock for every process of the machine), valid against the
 * bench product's thing model.
 */
final class ReportPayload {
  private final String pad;

  ReportPayload(int padBytes) {
    this.pad = "x".repeat(padBytes);
  }

  byte[] of(long sentNanos) {
    return ("{\"method\":\"report\",\"msgToken\":\""
            + sentNanos
            + "\",\"params\":{\"v\":{\"sent\":"
            + sentNanos
            + ",\"pad\":\""
            + pad
            + "\"}}}")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The largest payload, in bytes. */
  int maxBytes() {
    return 80 + pad.length();
  }
}
