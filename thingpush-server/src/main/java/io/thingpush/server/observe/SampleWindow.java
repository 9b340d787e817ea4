package io.thingpush.server.observe;

import java.util.ArrayDeque;

/**
 * The samples of the last {@code spanNanos}: rates and the recent latency are read between the
 * oldest and the newest of them. Pure; its owner serialises the calls.
 */
final class SampleWindow {
  private final long spanNanos;
  private final ArrayDeque<NodeSample> samples = new ArrayDeque<>();

  SampleWindow(long spanNanos) {
    this.spanNanos = spanNanos;
  }

  /**
   * Adds a sample and forgets the old ones the span no longer needs: the oldest kept is the newest
   * that is at least a span older than {@code sample}, so the window covers the whole span.
   */
  void add(NodeSample sample) {
    samples.addLast(sample);
    while (samples.size() > 1 && sample.nanos() - secondOldest().nanos() >= spanNanos) {
      samples.removeFirst();
    }
  }

  private NodeSample secondOldest() {
    var it = samples.iterator();
    it.next();
    return it.next();
  }

  /** The oldest sample kept, or null. */
  NodeSample oldest() {
    return samples.peekFirst();
  }

  /** The newest sample, or null. */
  NodeSample newest() {
    return samples.peekLast();
  }
}
