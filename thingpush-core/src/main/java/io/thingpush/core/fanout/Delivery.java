package io.thingpush.core.fanout;

/**
 * What every {@link Recipient} of a node delivers by: the bounds of an outbox (SPEC §6) and the
 * metrics it counts to. Held once for all of them, rather than by each connection.
 */
public final class Delivery {
  private final int outboxFrames;
  private final long outboxBytes;
  private final FanoutMetrics metrics;
  // What an event calls when it encodes a frame: made once here, not per recipient or event.
  private final Runnable encoded;

  public Delivery(int outboxFrames, long outboxBytes, FanoutMetrics metrics) {
    this.outboxFrames = outboxFrames;
    this.outboxBytes = outboxBytes;
    this.metrics = metrics;
    this.encoded = metrics::encoded;
  }

  /** A new outbox, for a connection whose frames must wait. */
  Outbox outbox() {
    return new Outbox(outboxFrames, outboxBytes);
  }

  /** How many frames an outbox holds at most. */
  int outboxFrames() {
    return outboxFrames;
  }

  FanoutMetrics metrics() {
    return metrics;
  }

  Runnable encoded() {
    return encoded;
  }
}
