package io.thingpush.core.device;

import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.InMemoryEventLog;
import io.thingpush.core.events.LogEntry;
import io.thingpush.core.events.LogTail;
import io.thingpush.core.events.LogUnavailableException;
import io.thingpush.core.subscription.SubKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A log that takes appends as a remote one does (cluster mode): each completes only when
 * {@link #release()} hands the appends made so far to the in-memory log behind it, in order; or,
 * once {@link #refuse()} was called, fails at once as a log that cannot take events.
 */
final class HeldLog implements EventLog {
  private record Held(
      Event unsequenced, String idempotencyKey, CompletableFuture<Appended> appended) {}

  private final InMemoryEventLog behind;
  private final List<Held> held = new ArrayList<>();
  private boolean refusing;

  HeldLog(InMemoryEventLog behind) {
    this.behind = behind;
  }

  @Override
  public synchronized CompletionStage<Appended> append(Event unsequenced, String idempotencyKey) {
    if (refusing) {
      return CompletableFuture.failedFuture(new LogUnavailableException("event log unavailable"));
    }
    Held h = new Held(unsequenced, idempotencyKey, new CompletableFuture<>());
    held.add(h);
    return h.appended();
  }

  /** Appends everything held so far, and what completing it appends, in order. */
  void release() {
    while (true) {
      Held next;
      synchronized (this) {
        if (held.isEmpty()) {
          return;
        }
        next = held.remove(0);
      }
      next.appended().complete(behind.append(next.unsequenced(), next.idempotencyKey()).join());
    }
  }

  /** Every later append fails. */
  synchronized void refuse() {
    refusing = true;
  }

  @Override
  public CompletionStage<Long> head() {
    return behind.head();
  }

  @Override
  public LogTail tail(long afterSeq, Consumer<LogEntry> next) {
    return behind.tail(afterSeq, next);
  }

  @Override
  public CompletionStage<History> read(SubKey key, long afterSeq, long upToSeq) {
    return behind.read(key, afterSeq, upToSeq);
  }
}
