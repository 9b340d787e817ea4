package io.thingpush.bench.device;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the simulated devices saw, over all of them: reports sent, answered (PUBACK, and the
 * {@code reportReply} where one is awaited), left unanswered past the answer window, replies that
 * said anything but 200, and the round trips from each report's send time to its PUBACK and to
 * its reply. Written by the device threads without locks.
 */
public final class DeviceStats {
  private final LongAdder sent = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder unanswered = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder disconnected = new LongAdder();
  private final Recorder ackRtt = new Recorder(60_000_000_000L, 3);
  private final Recorder replyRtt = new Recorder(60_000_000_000L, 3);

  void onSent() {
    sent.increment();
  }

  void onAck(long sentNanos, long nowNanos) {
    ackRtt.recordValue(Math.max(0, nowNanos - sentNanos));
  }

  void onReply(long sentNanos, long nowNanos, boolean ok) {
    if (!ok) {
      refused.increment();
    }
    replyRtt.recordValue(Math.max(0, nowNanos - sentNanos));
  }

  void onAnswered() {
    answered.increment();
  }

  void onUnanswered() {
    unanswered.increment();
  }

  void onDisconnect() {
    disconnected.increment();
  }

  public long sent() {
    return sent.sum();
  }

  /** Reports whose PUBACK (and awaited reply) came. */
  public long answered() {
    return answered.sum();
  }

  /** Reports whose PUBACK or awaited reply did not come within the answer window. */
  public long unanswered() {
    return unanswered.sum();
  }

  /** Replies whose code was not 200 (a report the thing model refused, or any error). */
  public long refused() {
    return refused.sum();
  }

  /** Devices whose connection ended during the run. */
  public long disconnected() {
    return disconnected.sum();
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
