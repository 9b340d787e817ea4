package io.thingpush.core.session;

import io.thingpush.core.events.Event;
import io.thingpush.core.subscription.Subscription;
import java.util.List;

/**
 * What a subscribe sends between its reply and the live stream: a replay or a snapshot, and
 * the seq up to which they cover the subscription, its seam (live events up to it are
 * skipped); a subscribe with neither starts live after the head. {@code replayedAfter} is the
 * {@code since} of a replay, {@code upTo} for a snapshot (nothing replayed), -1 when nothing
 * was sent. {@code recovered} is null without {@code since}.
 */
record Backfill(
    Boolean recovered, List<Event> replay, List<byte[]> snapshot, long upTo, long replayedAfter) {
  static Backfill none(long head) {
    return new Backfill(null, List.of(), List.of(), head, -1);
  }

  static Backfill replay(boolean recovered, List<Event> events, long since, long head) {
    return new Backfill(recovered, events, List.of(), head, since);
  }

  static Backfill snapshot(Boolean recovered, List<byte[]> frames, long upTo) {
    return new Backfill(recovered, List.of(), frames, upTo, upTo);
  }

  /** Sets where the subscription's live stream starts: after what this backfill covered. */
  void startLive(Subscription subscription) {
    if (replayedAfter < 0) {
      subscription.startLiveAfter(upTo);
    } else {
      subscription.startLiveAfterReplay(upTo, replayedAfter);
    }
  }
}
