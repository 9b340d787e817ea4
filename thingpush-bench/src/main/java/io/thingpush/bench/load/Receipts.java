package io.thingpush.bench.load;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the clients received: deliveries, their latency from the send time the event carries
 * to the moment its frame was read, and how connections ended. Written by the client threads
 * without locks.
 */
public final class Receipts {
  /** The close code counted for a connection that ended without a close frame. */
  public static final int NO_CLOSE_FRAME = -1;
  private static final byte[] SENT = "\"sent\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Recorder latency = new Recorder(60_000_000_000L, 3);
  private final LongAdder deliveries = new LongAdder();
  private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

  /** Counts a pushed frame and records its latency; false when the frame carries no send time. */
  boolean delivered(ByteBuf frame, long receivedNanos) {
    long sent = sentNanos(frame);
    if (sent == Long.MIN_VALUE) {
      return false;
    }
    deliveries.increment();
    latency.recordValue(Math.max(0, receivedNanos - sent));
    return true;
  }

  void closed(int code) {
    closes.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  public long deliveries() {
    return deliveries.sum();
  }

  /** The latencies recorded since the last call (the first call: since the start), in ns. */
  public Histogram latencySinceLastCall() {
    return latency.getIntervalHistogram();
  }

  /** Connections ended so far, by close code ({@link #NO_CLOSE_FRAME} without one). */
  public Map<Integer, Long> closes() {
    Map<Integer, Long> counts = new TreeMap<>();
    closes.forEach((code, n) -> counts.put(code, n.sum()));
    return counts;
  }

  /** The digits after {@code "sent":} in the frame, or {@link Long#MIN_VALUE}. */
  static long sentNanos(ByteBuf frame) {
    int from = frame.readerIndex();
    int end = frame.writerIndex() - SENT.length;
    outer:
    for (int i = from; i <= end; i++) {
      for (int j = 0; j < SENT.length; j++) {
        if (frame.getByte(i + j) != SENT[j]) {
          continue outer;
        }
      }
      long value = 0;
      boolean digits = false;
      for (int k = i + SENT.length; k < frame.writerIndex(); k++) {
        byte b = frame.getByte(k);
        if (b < '0' || b > '9') {
          break;
        }
        value = value * 10 + (b - '0');
        digits = true;
      }
      return digits ? value : Long.MIN_VALUE;
    }
    return Long.MIN_VALUE;
  }
}
