package io.thingpush.bench.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands events to a server at a fixed rate, or as fast as the clients take them. At a fixed rate
 * each event carries the time it was due, not the time it went: a driver that falls behind
 * shows as latency instead of hiding it (no coordinated omission). Flat out, it keeps at most
 * {@code windowDeliveries} deliveries in flight, counted by the acknowledgements of the
 * generator.
 */
public final class Driver {
  /** Hands one event, carrying {@code sentNanos}, to the server. */
  public interface Sink {
    void send(int index, long sentNanos);
  }

  private final AtomicLong acked = new AtomicLong();

  /** The generator's count of deliveries received so far. */
  public void acked(long deliveries) {
    acked.set(deliveries);
  }

  /**
   * Runs for {@code durationNanos}; {@code eventsPerSecond} 0 means flat out. Returns the number
   * of events sent.
   */
  public int run(
      Sink sink, double eventsPerSecond, long durationNanos, double fanout, long windowDeliveries) {
    long start = System.nanoTime();
    long end = start + durationNanos;
    long ackedAtStart = acked.get();
    int sent = 0;
    double interval = eventsPerSecond > 0 ? 1e9 / eventsPerSecond : 0;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        return sent;
      }
      if (interval > 0) {
        long due = start + (long) (sent * interval);
        if (due > now) {
          LockSupport.parkNanos(Math.min(due - now, end - now));
          continue;
        }
        sink.send(sent++, due);
      } else if ((sent + 1) * fanout - (acked.get() - ackedAtStart) > windowDeliveries) {
        LockSupport.parkNanos(20_000);
      } else {
        sink.send(sent++, now);
      }
    }
  }
}
