package io.thingpush.server.mqtt;

import java.util.ArrayDeque;

/**
 * What the bridge publishes to the broker, in order: at most {@code maxInFlight} messages await
 * their acknowledgement, up to {@code maxWaiting} more wait for room, and past that a message is
 * refused (the caller counts it). While closed (no broker connection) everything waits. Not
 * thread-safe: the bridge calls it under its lock.
 *
 * @param <T> a message
 */
final class PublishWindow<T> {
  /** What becomes of an offered message. */
  enum Admission {
    SEND,
    WAIT,
    REFUSE
  }

  private final int maxInFlight;
  private final int maxWaiting;
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private int inFlight;
  private boolean open;

  PublishWindow(int maxInFlight, int maxWaiting) {
    if (maxInFlight < 1 || maxWaiting < 0) {
      throw new IllegalArgumentException(
          "maxInFlight must be positive and maxWaiting not negative");
    }
    this.maxInFlight = maxInFlight;
    this.maxWaiting = maxWaiting;
  }

  /** {@link Admission#SEND}: the message is counted in flight and must be published now. */
  Admission offer(T message) {
    if (open && waiting.isEmpty() && inFlight < maxInFlight) {
      inFlight++;
      return Admission.SEND;
    }
    if (waiting.size() >= maxWaiting) {
      return Admission.REFUSE;
    }
    waiting.addLast(message);
    return Admission.WAIT;
  }

  /** The oldest waiting message, counted in flight, when there is room; else null. */
  T next() {
    if (!open || inFlight >= maxInFlight || waiting.isEmpty()) {
      return null;
    }
    inFlight++;
    return waiting.pollFirst();
  }

  /** A message in flight was acknowledged, or given up on: its room is free. */
  void landed() {
    if (inFlight == 0) {
      throw new IllegalStateException("no message in flight");
    }
    inFlight--;
  }

  /** The broker connection is up (true) or gone (false). */
  void open(boolean open) {
    this.open = open;
  }

  int waiting() {
    return waiting.size();
  }
}
