package io.thingpush.core.feed;

import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.LatestStore;
import io.thingpush.core.events.LogEntry;
import io.thingpush.core.events.LogTail;
import io.thingpush.core.fanout.Hub;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's only input, in one node or many: takes the event log's entries from its tail and
 * hands each event once, in seq order, to the latest values and the hub, and applies each
 * registry change read from the log at its place among the events. The tail may drop, repeat
 * or reorder entries, so nothing is assumed about their arrival:
 *
 * <ul>
 *   <li>an entry at or below the last seq fed is a repeat, and is dropped;
 *   <li>the entry right after the last one fed is fed, and then the held entries that follow on;
 *   <li>an entry further on is held, and the gap before it is read back from the log; what the
 *       read returns is fed in order, then what was held.
 * </ul>
 */
public final class Feed implements Consumer<LogEntry>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Feed.class);

  private final EventLog log;
  private final Consumer<Event> fanOut;
  private final Consumer<RegistryChange> changes;
  private final TreeMap<Long, LogEntry> held = new TreeMap<>();
  private final TreeMap<Long, CompletableFuture<Void>> waiting = new TreeMap<>();
  private long lastFed;
  // Up to here the log was read back: the held entries up to it are all there is.
  private long readUpTo;
  private boolean draining;
  private boolean reading;
  private boolean readFailed;
  private LogTail tail;
  private long repeats;
  private long gapReads;
  private long eventsFed;

  /**
   * A feed of what {@code log} appends after {@code afterSeq}: each event goes to {@code latest}
   * and then to {@code hub}; each registry change read from the log to {@code changes}.
   */
  public Feed(
      EventLog log, long afterSeq, LatestStore latest, Hub hub, Consumer<RegistryChange> changes) {
    this(
        log,
        afterSeq,
        event -> {
          latest.record(event);
          hub.publish(event);
        },
        changes);
  }

  /** A feed handing each event to {@code fanOut}, in seq order and once. */
  public Feed(
      EventLog log, long afterSeq, Consumer<Event> fanOut, Consumer<RegistryChange> changes) {
    this.log = log;
    this.lastFed = afterSeq;
    this.readUpTo = afterSeq;
    this.fanOut = fanOut;
    this.changes = changes;
  }

  /** Starts tailing the log. */
  public void start() {
    LogTail started = log.tail(lastFed, this);
    synchronized (this) {
      tail = started;
      if (draining) {
        return;
      }
      draining = true;
    }
    drain();
  }

  /** Takes one entry from the tail (or any source of the same log), on whatever thread. */
  @Override
  public void accept(LogEntry entry) {
    synchronized (this) {
      readFailed = false;
      if (entry.seq() <= lastFed || held.putIfAbsent(entry.seq(), entry) != null) {
        repeats++;
        return;
      }
      if (draining) {
        return; // the thread draining now feeds it
      }
      draining = true;
    }
    drain();
  }

  /**
   * Runs {@code change} after every event fed so far and before any fed later: the registry
   * swap, so an event appended after it is fanned out under the new registry.
   */
  public synchronized void applyBeforeNextEvent(Runnable change) {
    change.run();
  }

  /** Completes once every entry up to {@code seq} was fed (a registry change there applied). */
  public synchronized CompletionStage<Void> whenFed(long seq) {
    if (seq <= lastFed && !draining) {
      return CompletableFuture.completedFuture(null);
    }
    return waiting.computeIfAbsent(seq, s -> new CompletableFuture<>());
  }

  /** The seq of the last entry fed. */
  public synchronized long lastFed() {
    return lastFed;
  }

  /** Entries dropped as repeats. */
  public synchronized long repeats() {
    return repeats;
  }

  /** Events handed to the fan-out. */
  public synchronized long eventsFed() {
    return eventsFed;
  }

  /** Gaps read back from the log. */
  public synchronized long gapReads() {
    return gapReads;
  }

  /**
   * Feeds what can be fed, one thread at a time: events under the lock; a registry change
   * outside it (it may read the registry), with nothing fed meanwhile since this thread alone
   * drains. Ends by reading back the gap before the first held entry, if one is left.
   */
  private void drain() {
    while (true) {
      LogEntry change;
      long gapFrom = 0;
      long gapTo = 0;
      synchronized (this) {
        change = feedHeld();
        if (change == null) {
          draining = false;
          settle(lastFed);
          if (held.isEmpty() || reading || readFailed || tail == null) {
            return;
          }
          reading = true;
          gapReads++;
          gapFrom = lastFed;
          gapTo = held.firstKey() - 1;
        } else {
          settle(change.seq() - 1);
        }
      }
      if (change == null) {
        readGap(gapFrom, gapTo);
        return;
      }
      try {
        changes.accept(change.change());
      } catch (RuntimeException e) {
        LOG.warn("registry change at seq {} not applied", change.seq(), e);
      }
    }
  }

  /** Feeds the held events that follow on; returns a registry change met on the way (marked fed), else null. */
  private LogEntry feedHeld() {
    while (true) {
      Map.Entry<Long, LogEntry> first = held.firstEntry();
      if (lastFed < readUpTo && (first == null || first.getKey() > readUpTo)) {
        lastFed = readUpTo; // the read found nothing more up to there
      }
      if (first == null) {
        return null;
      }
      long seq = first.getKey();
      if (seq != lastFed + 1 && seq > readUpTo) {
        return null; // a gap before it
      }
      held.pollFirstEntry();
      lastFed = seq;
      LogEntry entry = first.getValue();
      if (entry.change() != null) {
        return entry;
      }
      if (entry.event() != null) {
        eventsFed++;
        try {
          fanOut.accept(entry.event());
        } catch (RuntimeException e) {
          LOG.warn("fan-out of the event at seq {} failed", seq, e);
        }
      }
    }
  }

  private void readGap(long from, long upTo) {
    tail.read(from, upTo)
        .whenComplete(
            (entries, failure) -> {
              synchronized (this) {
                reading = false;
                if (failure != null) {
                  // Tried again when the next entry arrives: the tail moves on once the log is
                  // back.
                  readFailed = true;
                } else {
                  add(entries, upTo);
                }
                if (draining) {
                  return;
                }
                draining = true;
              }
              drain();
            });
  }

  private void add(List<LogEntry> entries, long upTo) {
    for (LogEntry entry : entries) {
      if (entry.seq() > lastFed && entry.seq() <= upTo) {
        held.putIfAbsent(entry.seq(), entry);
      }
    }
    readUpTo = Math.max(readUpTo, upTo);
  }

  /** Completes the waits up to {@code seq}. */
  private void settle(long seq) {
    while (!waiting.isEmpty() && waiting.firstKey() <= seq) {
      waiting.pollFirstEntry().getValue().complete(null);
    }
  }

  @Override
  public void close() {
    LogTail running;
    synchronized (this) {
      running = tail;
    }
    if (running != null) {
      running.close();
    }
  }
}
