package io.thingpush.bench.load;

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

  private final Recorder latency = new Recorder(60_000_000_000L, 3);
  private final LongAdder deliveries = new LongAdder();
  private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

  /** Counts a push and records its latency from its send time to its receipt. */
  void delivered(long sentNanos, long receivedNanos) {
    deliveries.increment();
    latency.recordValue(Math.max(0, receivedNanos - sentNanos));
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
}
