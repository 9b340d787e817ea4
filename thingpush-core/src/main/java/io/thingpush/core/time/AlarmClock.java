package io.thingpush.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The clock the server decides by, which also runs a task when it reaches a given instant (a
 * token's expiry) and measures intervals (a rate limit). The system's clock in production;
 * tests move one forward by hand instead of waiting for it.
 */
public abstract class AlarmClock extends Clock {
  private static final AlarmClock SYSTEM =
      new AlarmClock() {
        @Override
        public Instant instant() {
          return Instant.now();
        }

        @Override
        public long millis() {
          return System.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public Future<?> runAt(Instant at, ScheduledExecutorService executor, Runnable task) {
          return executor.schedule(task, untilMillis(at), TimeUnit.MILLISECONDS);
        }
      };

  /** The system's clock in UTC. */
  public static AlarmClock system() {
    return SYSTEM;
  }

  /**
   * Runs {@code task} on {@code executor} once this clock reaches {@code at} (soon, when it
   * already has); cancelling the future it returns gives the task up.
   */
  public abstract Future<?> runAt(Instant at, ScheduledExecutorService executor, Runnable task);

  /** A reading for measuring intervals, in nanoseconds, as {@link System#nanoTime()}: it moves with this clock. */
  public abstract long nanoTime();

  /** How long from now until this clock reaches {@code at}: 0 when it has. */
  protected final long untilMillis(Instant at) {
    return Math.max(0, Duration.between(instant(), at).toMillis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** This clock's time seen in another zone (alarms are set on this clock itself). */
  @Override
  public Clock withZone(ZoneId zone) {
    AlarmClock alarms = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return alarms.withZone(other);
      }

      @Override
      public Instant instant() {
        return alarms.instant();
      }
    };
  }
}
