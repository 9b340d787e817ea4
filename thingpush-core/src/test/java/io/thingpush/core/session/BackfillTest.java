package io.thingpush.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a subscription's live stream starts after each kind of backfill. */
class BackfillTest {
  private static Subscription subscription() {
    return new Subscription(
        new SubKey(SubCode.DEVICE_CONN, Target.device("prod", "d1")), Json.object(), 0, null);
  }

  @Test
  void withoutABackfillTheLiveStreamStartsAfterTheHead() {
    Subscription s = subscription();

    Backfill.none(7).startLive(s);

    assertThat(s.seam()).isEqualTo(7);
    assertThat(s.wasReplayed(7)).isFalse();
  }

  @Test
  void aRepeatedSubscribeWithoutABackfillKeepsTheSeamWhereItWas() {
    Subscription s = subscription();
    Backfill.none(7).startLive(s);

    Backfill.none(9).startLive(s);

    assertThat(s.seam()).as("moving it would skip events 8 and 9").isEqualTo(7);
  }

  @Test
  void aReplayCoversTheEventsAfterSinceUpToTheHead() {
    Subscription s = subscription();
    Backfill replay = Backfill.replay(true, List.of(), 3, 7);

    replay.startLive(s);

    assertThat(replay.recovered()).isTrue();
    assertThat(s.seam()).isEqualTo(7);
    assertThat(s.wasReplayed(3)).as("at since: before the replay").isFalse();
    assertThat(s.wasReplayed(4)).isTrue();
    assertThat(s.wasReplayed(7)).isTrue();
    assertThat(s.wasReplayed(8)).as("after the seam: live").isFalse();
  }

  @Test
  void aSnapshotStartsLiveAfterWhatItCoveredAndReplaysNothing() {
    Subscription s = subscription();
    Backfill snapshot = Backfill.snapshot(null, List.of(), 5);

    snapshot.startLive(s);

    assertThat(snapshot.recovered()).isNull();
    assertThat(s.seam()).isEqualTo(5);
    assertThat(s.wasReplayed(5)).isFalse();
  }

  @Test
  void aLaterReplayOfTheSameSubscriptionNeverMovesTheSeamBack() {
    Subscription s = subscription();
    Backfill.replay(true, List.of(), 0, 9).startLive(s);

    Backfill.replay(true, List.of(), 2, 6).startLive(s);

    assertThat(s.seam()).isEqualTo(9);
  }
}
