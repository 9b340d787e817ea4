package io.thingpush.server.it;

import io.thingpush.core.time.AlarmClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The clock of a test's server: the system's, plus however far the test has moved it forward.
 * Moving it runs at once what has fallen due (a token's expiry), so a test does not wait for
 * it; until then it reads, and alarms ring, as the system clock would.
 */
public final class MovableClock extends AlarmClock {
  private final List<Alarm> alarms = new ArrayList<>();
  private volatile long aheadNanos;

  /** One task set to run at an instant; it runs once, unless cancelled first. */
  private static final class Alarm {
    final Instant at;
    final ScheduledExecutorService executor;
    final Runnable task;
    final CompletableFuture<Void> handle = new CompletableFuture<>();
    final AtomicBoolean rung = new AtomicBoolean();
    volatile ScheduledFuture<?> scheduled;

    Alarm(Instant at, ScheduledExecutorService executor, Runnable task) {
      this.at = at;
      this.executor = executor;
      this.task = task;
    }

    void ring() {
      if (!handle.isCancelled() && rung.compareAndSet(false, true)) {
        try {
          task.run();
        } finally {
          handle.complete(null);
        }
      }
    }
  }

  @Override
  public Instant instant() {
    return Instant.now().plusNanos(aheadNanos);
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(aheadNanos);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime() + aheadNanos;
  }

  @Override
  public Future<?> runAt(Instant at, ScheduledExecutorService executor, Runnable task) {
    Alarm alarm = new Alarm(at, executor, task);
    synchronized (this) {
      alarms.removeIf(a -> a.handle.isDone());
      alarms.add(alarm);
    }
    alarm.scheduled = executor.schedule(alarm::ring, untilMillis(at), TimeUnit.MILLISECONDS);
    return alarm.handle;
  }

  /**
   * Moves this clock forward by {@code by}; every alarm then due has run on its executor when
   * this returns.
   */
  public void advance(Duration by) {
    List<Alarm> due = new ArrayList<>();
    synchronized (this) {
      aheadNanos += by.toNanos();
      Instant now = instant();
      for (Alarm alarm : alarms) {
        if (!alarm.handle.isDone() && !alarm.at.isAfter(now)) {
          due.add(alarm);
        }
      }
      alarms.removeAll(due);
    }
    for (Alarm alarm : due) {
      ScheduledFuture<?> scheduled = alarm.scheduled;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
      try {
        alarm.executor.submit(alarm::ring).get(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (RejectedExecutionException stopped) {
        // Its executor stopped, and the connection with it.
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("an alarm due at " + alarm.at + " did not run", e);
      }
    }
  }
}
