package io.thingpush.core.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/** The embedded event log: a ring of the newest events, bounded by count and by age. */
public final class InMemoryEventLog implements EventLog {
  private final Event[] ring;
  private final long[] appendedAtMillis;
  private final long maxAgeMillis;
  private final Clock clock;
  private long nextSeq = 1;
  private long oldestSeq = 1;

  public InMemoryEventLog(int maxEvents, long maxAgeMillis, Clock clock) {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("history.maxEvents must be at least 1");
    }
    this.ring = new Event[maxEvents];
    this.appendedAtMillis = new long[maxEvents];
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
  }

  @Override
  public synchronized Event append(LongFunction<Event> withSeq) {
    long seq = nextSeq;
    Event event = withSeq.apply(seq);
    int slot = slot(seq);
    ring[slot] = event;
    appendedAtMillis[slot] = clock.millis();
    nextSeq = seq + 1;
    if (nextSeq - oldestSeq > ring.length) {
      oldestSeq = nextSeq - ring.length;
    }
    return event;
  }

  @Override
  public synchronized List<Event> after(long afterSeq) {
    expire();
    if (afterSeq >= nextSeq - 1) {
      return List.of();
    }
    long from = Math.max(afterSeq + 1, oldestSeq);
    List<Event> events = new ArrayList<>((int) Math.max(0, nextSeq - from));
    for (long seq = from; seq < nextSeq; seq++) {
      events.add(ring[slot(seq)]);
    }
    return events;
  }

  @Override
  public synchronized long oldestSeq() {
    expire();
    return oldestSeq;
  }

  private void expire() {
    long cutoff = clock.millis() - maxAgeMillis;
    while (oldestSeq < nextSeq && appendedAtMillis[slot(oldestSeq)] < cutoff) {
      ring[slot(oldestSeq)] = null;
      oldestSeq++;
    }
  }

  private int slot(long seq) {
    return (int) (seq % ring.length);
  }
}
