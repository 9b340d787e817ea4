package io.thingpush.core.events;

import io.thingpush.core.subscription.SubKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The embedded event log: a ring of the newest events, bounded by count and by age. Its seqs
 * start at {@code firstSeq}: a node passes one above anything its previous run can have issued
 * ({@link #firstSeqAt}), so seq keeps growing across a restart and a client resuming with a seq
 * of the previous run is told {@code recovered:false} instead of silently missing events. Its
 * tails are handed each event inside {@link #append}, so they see the events in seq order and
 * the event has been fed when the append completes.
 */
public final class InMemoryEventLog implements EventLog {
  private static final int DEFAULT_REPEATS = 10_000;
  private static final long DEFAULT_REPEAT_MILLIS = 120_000;

  private final Event[] ring;
  private final long[] appendedAtMillis;
  private final long maxAgeMillis;
  private final Clock clock;
  private final long firstSeq;
  private final RepeatWindow repeats;
  private long nextSeq;
  private long oldestSeq;
  private final List<Consumer<LogEntry>> tails = new ArrayList<>();

  /** A log whose seqs start at 1. */
  public InMemoryEventLog(int maxEvents, long maxAgeMillis, Clock clock) {
    this(maxEvents, maxAgeMillis, clock, 1);
  }

  /** A log that remembers the keys of the last {@link #DEFAULT_REPEATS} keyed appends of two minutes. */
  public InMemoryEventLog(int maxEvents, long maxAgeMillis, Clock clock, long firstSeq) {
    this(
        maxEvents,
        maxAgeMillis,
        clock,
        firstSeq,
        new RepeatWindow(DEFAULT_REPEATS, DEFAULT_REPEAT_MILLIS));
  }

  /** @param repeats the idempotency keys of recent appends, which this log alone uses from now on */
  public InMemoryEventLog(
      int maxEvents, long maxAgeMillis, Clock clock, long firstSeq, RepeatWindow repeats) {
    if (firstSeq < 1) {
      throw new IllegalArgumentException("firstSeq must be at least 1");
    }
    if (maxEvents < 1) {
      throw new IllegalArgumentException("history.maxEvents must be at least 1");
    }
    this.ring = new Event[maxEvents];
    this.appendedAtMillis = new long[maxEvents];
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
    this.firstSeq = firstSeq;
    this.nextSeq = firstSeq;
    this.oldestSeq = firstSeq;
    this.repeats = repeats;
  }

  /**
   * The first seq of a node starting now: the time in milliseconds times 1000. Above every seq
   * of an earlier run unless that run averaged over a million events per second, and below
   * 2^53 (exact in JavaScript) for two centuries.
   */
  public static long firstSeqAt(Clock clock) {
    return clock.millis() * 1000;
  }

  /** Completes at once: the event is in the ring when this returns. */
  @Override
  public CompletableFuture<Event> append(Event unsequenced) {
    return append(unsequenced, null).thenApply(Appended::event);
  }

  /** Completes at once; a key is remembered for the repeat window even after its event left the ring. */
  @Override
  public synchronized CompletableFuture<Appended> append(Event unsequenced, String idempotencyKey) {
    return CompletableFuture.completedFuture(
        appendHeld(unsequenced, idempotencyKey, clock.millis()));
  }

  /** Completes at once: the events are in the ring, one after the other, when this returns. */
  @Override
  public synchronized CompletableFuture<List<Event>> append(List<Event> unsequenced) {
    long now = clock.millis();
    List<Event> appended = new ArrayList<>(unsequenced.size());
    for (Event event : unsequenced) {
      appended.add(appendHeld(event, null, now).event());
    }
    return CompletableFuture.completedFuture(appended);
  }

  /** Appends under the lock, and hands the event to the tails. */
  private Appended appendHeld(Event unsequenced, String idempotencyKey, long now) {
    if (idempotencyKey != null) {
      OptionalLong first = repeats.seqOf(idempotencyKey, now);
      if (first.isPresent()) {
        return new Appended(unsequenced.withSeq(first.getAsLong()), true);
      }
    }
    long seq = nextSeq;
    Event event = unsequenced.withSeq(seq);
    int slot = slot(seq);
    ring[slot] = event;
    appendedAtMillis[slot] = now;
    nextSeq = seq + 1;
    if (nextSeq - oldestSeq > ring.length) {
      oldestSeq = nextSeq - ring.length;
    }
    if (idempotencyKey != null) {
      repeats.remember(idempotencyKey, seq, now);
    }
    LogEntry entry = LogEntry.of(event);
    for (Consumer<LogEntry> tail : tails) {
      tail.accept(entry);
    }
    return new Appended(event, false);
  }

  @Override
  public synchronized CompletionStage<Long> head() {
    return CompletableFuture.completedFuture(nextSeq - 1);
  }

  @Override
  public synchronized CompletionStage<History> read(SubKey key, long afterSeq, long upToSeq) {
    // since 0 asks for everything from the start of this log: complete while nothing was dropped.
    // Any other seq below this run's first one is a seq of an earlier run, whose history is gone.
    long oldest = oldestSeq();
    boolean complete = afterSeq >= oldest - 1 || (afterSeq == 0 && oldest == firstSeq);
    List<Event> events = new ArrayList<>();
    for (Event event : after(afterSeq)) {
      if (event.seq() <= upToSeq && event.keys().contains(key)) {
        events.add(event);
      }
    }
    return CompletableFuture.completedFuture(new History(events, complete));
  }

  /** Hands on the events held after {@code afterSeq} now, then each one appended, inside its append. */
  @Override
  public synchronized LogTail tail(long afterSeq, Consumer<LogEntry> next) {
    for (Event event : after(afterSeq)) {
      next.accept(LogEntry.of(event));
    }
    tails.add(next);
    return new LogTail() {
      @Override
      public CompletionStage<List<LogEntry>> read(long from, long upTo) {
        List<LogEntry> entries = new ArrayList<>();
        for (Event event : after(from)) {
          if (event.seq() <= upTo) {
            entries.add(LogEntry.of(event));
          }
        }
        return CompletableFuture.completedFuture(entries);
      }

      @Override
      public void close() {
        synchronized (InMemoryEventLog.this) {
          tails.remove(next);
        }
      }
    };
  }

  /** The held events with a seq greater than {@code afterSeq}, oldest first. */
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

  /** The seq of the oldest event still held, or the next seq to be assigned when none is. */
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
