package io.thingpush.server.observe;

/**
 * The node's counters at one moment, as totals since it started: what rates and the recent push
 * latency are computed from, by the difference between two samples.
 *
 * @param nanos when it was taken ({@link System#nanoTime()})
 * @param latencyBoundsNanos upper bounds of the push-latency histogram's buckets, ascending
 * @param latencyCounts pushes with a latency up to each bound (cumulative over the buckets)
 */
record NodeSample(
    long nanos,
    long eventsIn,
    long eventsOut,
    long dropped,
    long slowClientCloses,
    double[] latencyBoundsNanos,
    long[] latencyCounts) {

  /** Events per second from {@code older} to this sample. */
  double eventsInPerSecond(NodeSample older) {
    return perSecond(eventsIn - older.eventsIn, older);
  }

  double eventsOutPerSecond(NodeSample older) {
    return perSecond(eventsOut - older.eventsOut, older);
  }

  private double perSecond(long delta, NodeSample older) {
    long elapsed = nanos - older.nanos;
    return elapsed <= 0 ? 0 : delta * 1e9 / elapsed;
  }

  /**
   * The 99th percentile of the latency of the pushes made between {@code older} and this sample,
   * as the upper bound of its histogram bucket in milliseconds; null when there was none.
   */
  Double latencyP99Millis(NodeSample older) {
    int last = latencyCounts.length - 1;
    if (last < 0 || older.latencyCounts.length != latencyCounts.length) {
      return null;
    }
    long total = latencyCounts[last] - older.latencyCounts[last];
    if (total <= 0) {
      return null;
    }
    for (int i = 0; i <= last; i++) {
      if (latencyCounts[i] - older.latencyCounts[i] >= 0.99 * total) {
        return latencyBoundsNanos[i] / 1e6;
      }
    }
    return latencyBoundsNanos[last] / 1e6;
  }
}
