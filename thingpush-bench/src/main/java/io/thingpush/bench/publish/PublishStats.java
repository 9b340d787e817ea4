package io.thingpush.bench.publish;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Requests sent to the publish API, answers by kind, latency from each request's due time to its answer. */
final class PublishStats {
  private final LongAdder sent = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final Recorder latency = new Recorder(60_000_000_000L, 3);

  void sent() {
    sent.increment();
  }

  void answered(int status, long nanos) {
    (status == 200 ? ok : failed).increment();
    latency.recordValue(Math.max(0, nanos));
  }

  void closed() {
    closed.increment();
  }

  long sentCount() {
    return sent.sum();
  }

  long okCount() {
    return ok.sum();
  }

  /** Answers other than 200. */
  long failedCount() {
    return failed.sum();
  }

  long closedCount() {
    return closed.sum();
  }

  Histogram latencySinceLastCall() {
    return latency.getIntervalHistogram();
  }
}
