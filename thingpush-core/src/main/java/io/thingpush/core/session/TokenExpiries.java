package io.thingpush.core.session;

import io.thingpush.core.time.AlarmClock;
import io.thingpush.core.time.Deadlines;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Closes each session when its token expires (SPEC §5), at the instant the clock's alarm for it
 * rings, as a timer per session would: each connection thread keeps its sessions in {@link
 * Deadlines} with one alarm for the soonest, instead of a timer each. A sweep that visits every
 * connection once per ping interval would leave a token valid for up to that interval (10 s).
 */
final class TokenExpiries {
  private final AlarmClock clock;
  private final Map<ScheduledExecutorService, Loop> loops = new ConcurrentHashMap<>();

  TokenExpiries(AlarmClock clock) {
    this.clock = clock;
  }

  /**
   * Closes {@code session} when the clock reaches {@code at}, unless {@link #cancel} comes first.
   * Runs on the session's executor.
   */
  Deadlines.Entry<Session> closeAt(Session session, Instant at) {
    ScheduledExecutorService executor = session.recipient().executor();
    return loops.computeIfAbsent(executor, Loop::new).add(session, at.toEpochMilli());
  }

  /** Gives up what {@link #closeAt} set, on the session's executor; nothing when it rang. */
  void cancel(Session session, Deadlines.Entry<Session> expiry) {
    loops.get(session.recipient().executor()).sessions.remove(expiry);
  }

  /** The sessions of one connection thread, confined to it. */
  private final class Loop {
    private final ScheduledExecutorService executor;
    private final Deadlines<Session> sessions = new Deadlines<>();
    private Future<?> alarm;
    private long alarmAt;

    Loop(ScheduledExecutorService executor) {
      this.executor = executor;
    }

    Deadlines.Entry<Session> add(Session session, long at) {
      Deadlines.Entry<Session> entry = sessions.add(session, at);
      if (alarm == null || at < alarmAt) {
        setAlarm(at);
      }
      return entry;
    }

    private void setAlarm(long at) {
      if (alarm != null) {
        alarm.cancel(false);
      }
      alarmAt = at;
      alarm = clock.runAt(Instant.ofEpochMilli(at), executor, () -> ring(at));
    }

    /**
     * The alarm set for {@code at} rang: closes every session due by then (a scheduler may ring a
     * millisecond early, as a timer of its own would have) or by the clock, whichever is later.
     */
    private void ring(long at) {
      alarm = null;
      long due = Math.max(at, clock.millis());
      for (Deadlines.Entry<Session> soonest = sessions.soonest();
          soonest != null && soonest.at() <= due;
          soonest = sessions.soonest()) {
        sessions.remove(soonest);
        soonest.member().tokenExpired();
      }
      Deadlines.Entry<Session> next = sessions.soonest();
      if (next != null) {
        setAlarm(next.at());
      }
    }
  }
}
