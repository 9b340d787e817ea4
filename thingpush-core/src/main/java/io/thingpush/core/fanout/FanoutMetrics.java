package io.thingpush.core.fanout;

/** What the fan-out reports to the metrics of the server; calls come from connection threads. */
public interface FanoutMetrics {
  FanoutMetrics NONE = new FanoutMetrics() {};

  /**
   * {@code frames} live frames of one event handed to connections, {@code nanos} after the event
   * entered: counted once for all its connections of one thread, not once per connection.
   */
  default void pushed(long nanos, int frames) {}

  /** One event frame of a history replay ({@code since}) handed to a connection. */
  default void replayed() {}

  /** One snapshot frame (the latest values on subscribe) handed to a connection. */
  default void snapshotPushed() {}

  /** One {@code down.pub} frame encoded (once per event and language, whatever the recipients). */
  default void encoded() {}

  /** A frame waits in a connection's outbox, which now holds {@code depth} frames. */
  default void queued(int depth) {}

  /** A queued property frame replaced by a newer value of the same property. */
  default void conflated() {}

  /**
   * A subscription filter failed on an event (a division by zero, a value of an unexpected
   * type): the event was not pushed through it.
   */
  default void filterFailed() {}

  /** Frames thrown away when a connection that could not keep up was closed. */
  default void dropped(int frames) {}
}
