package io.thingpush.bench.device;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the simulated devices saw, over all of them: reports sent, PUBACKs, {@code reportReply}s
 * (and how many said anything but 200), and the round trips from each report's send time to its
 * PUBACK and to its reply. Written by the device threads without locks.
 */
public final class DeviceStats {
  private final LongAdder sent = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder replied = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder disconnected = new LongAdder();
  private final Recorder ackRtt = new Recorder(60_000_000_000L, 3);
  private final Recorder replyRtt = new Recorder(60_000_000_000L, 3);

  void onSent() {
    sent.increment();
  }

  void onAck(long sentNanos, long nowNanos) {
    acked.increment();
    ackRtt.recordValue(Math.max(0, nowNanos - sentNanos));
  }

  void onReply(long sentNanos, long nowNanos, boolean ok) {
    replied.increment();
    if (!ok) {
      refused.increment();
    }
    if (sentNanos > 0) {
      replyRtt.recordValue(Math.max(0, nowNanos - sentNanos));
    }
  }

  void onDisconnect() {
    disconnected.increment();
  }

  /** Devices whose connection ended during the run. */
  public long disconnected() {
    return disconnected.sum();
  }

  public long sent() {
    return sent.sum();
  }

  public long acked() {
    return acked.sum();
  }

  public long replied() {
    return replied.sum();
  }

  /** Replies whose code was not 200 (a report the thing model refused, or any error). */
  public long refused() {
    return refused.sum();
  }

  /** Round trips to the PUBACK since the last call, in ns. */
  public Histogram ackRttSinceLastCall() {
    return ackRtt.getIntervalHistogram();
  }

  /** Round trips to the reportReply since the last call, in ns. */
  public Histogram replyRttSinceLastCall() {
    return replyRtt.getIntervalHistogram();
  }
}
