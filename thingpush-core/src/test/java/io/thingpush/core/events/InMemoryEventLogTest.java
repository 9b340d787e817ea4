package io.thingpush.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded event log (SPEC §7): seq from 1, history bounded by count and by age. */
class InMemoryEventLogTest {
  private static final long MINUTE = 60_000;

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

  private static Event event(long seq) {
    return new Event(
        seq,
        SubCode.DEVICE_CONN,
        "default",
        "k0",
        "d1",
        "p-plant",
        List.of("a-line1"),
        (ObjectNode)
            Json.parseOrNull(
                "{\"device\":{\"productID\":\"k0\",\"deviceName\":\"d1\"},\"timestamp\":\"1\",\"status\":1}"),
        0);
  }

  private static List<Long> seqs(List<Event> events) {
    return events.stream().map(Event::seq).toList();
  }

  private static void append(EventLog log, int n) {
    for (int i = 0; i < n; i++) {
      log.append(event(0));
    }
  }

  @Test
  void seqStartsAtOneAndGrowsByOne() {
    InMemoryEventLog log = new InMemoryEventLog(100, 10 * MINUTE, clock);
    List<Long> given = new ArrayList<>();

    for (int i = 0; i < 5; i++) {
      given.add(log.append(event(0)).join().seq());
    }

    assertThat(given).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void eventsAppendedTogetherTakeTheNextSeqsInTheirOrderAndReachTheTailsSo() {
    InMemoryEventLog log = new InMemoryEventLog(100, 10 * MINUTE, clock);
    log.append(event(0));
    List<Long> tailed = new ArrayList<>();
    log.tail(1, entry -> tailed.add(entry.seq()));

    List<Event> appended = log.append(List.of(event(0), event(0), event(0))).join();

    assertThat(appended).extracting(Event::seq).containsExactly(2L, 3L, 4L);
    assertThat(tailed).containsExactly(2L, 3L, 4L);
    assertThat(log.after(1)).extracting(Event::seq).containsExactly(2L, 3L, 4L);
  }

  @Test
  void aRestartedNodeIssuesSeqsAboveItsPreviousRunAndCannotClaimToRecoverThem() {
    InMemoryEventLog before =
        new InMemoryEventLog(100, 10 * MINUTE, clock, InMemoryEventLog.firstSeqAt(clock));
    append(before, 50);
    long lastBefore = before.after(0).get(49).seq();
    clock.advance(Duration.ofSeconds(1));

    InMemoryEventLog after =
        new InMemoryEventLog(100, 10 * MINUTE, clock, InMemoryEventLog.firstSeqAt(clock));

    assertThat(after.oldestSeq())
        .isGreaterThan(lastBefore + 1); // since=lastBefore is not recovered
    assertThat(after.append(event(0)).join().seq()).isGreaterThan(lastBefore);
    assertThat(after.after(lastBefore)).hasSize(1);
  }

  @Test
  void sinceZeroIsTheStartOfTheLogAndCompleteUntilSomethingIsDropped() {
    InMemoryEventLog log = new InMemoryEventLog(3, 10 * MINUTE, clock, 1_000);
    SubKey key = event(0).keys().get(0);
    append(log, 3);
    assertThat(log.read(key, 0, Long.MAX_VALUE).toCompletableFuture().join().complete()).isTrue();
    assertThat(log.read(key, 999, Long.MAX_VALUE).toCompletableFuture().join().complete()).isTrue();
    assertThat(log.read(key, 998, Long.MAX_VALUE).toCompletableFuture().join().complete())
        .isFalse(); // an earlier run's

    append(log, 1); // the first one is dropped
    assertThat(log.read(key, 0, Long.MAX_VALUE).toCompletableFuture().join().complete()).isFalse();
    assertThat(log.read(key, 1_000, Long.MAX_VALUE).toCompletableFuture().join().complete())
        .isTrue();
  }

  @Test
  void firstSeqMustBePositive() {
    assertThatThrownBy(() -> new InMemoryEventLog(10, MINUTE, clock, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void appendReturnsTheEventWithItsSeqAndKeepsIt() {
    InMemoryEventLog log = new InMemoryEventLog(100, 10 * MINUTE, clock);

    Event appended = log.append(event(0)).join();

    assertThat(appended.seq()).isEqualTo(1);
    assertThat(appended.body()).isEqualTo(event(0).body());
    assertThat(appended.keys()).isEqualTo(event(0).keys());
    assertThat(log.after(0).get(0)).isSameAs(appended);
  }

  @Test
  void anEmptyLogHoldsNothingAndItsOldestSeqIsTheNextOne() {
    InMemoryEventLog log = new InMemoryEventLog(100, 10 * MINUTE, clock);

    assertThat(log.oldestSeq()).isEqualTo(1);
    assertThat(log.after(0)).isEmpty();
  }

  @Test
  void afterReturnsExactlyTheHeldEventsAfterTheGivenSeqInOrder() {
    InMemoryEventLog log = new InMemoryEventLog(100, 10 * MINUTE, clock);
    append(log, 6);

    assertThat(seqs(log.after(0))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(seqs(log.after(3))).containsExactly(4L, 5L, 6L);
    assertThat(seqs(log.after(5))).containsExactly(6L);
    assertThat(log.after(6)).isEmpty();
    assertThat(log.after(1_000)).isEmpty();
    assertThat(log.oldestSeq()).isEqualTo(1);
  }

  @Test
  void afterTheLargestPossibleSeqIsEmpty() {
    InMemoryEventLog log = new InMemoryEventLog(100, 10 * MINUTE, clock);
    append(log, 3);

    // A client may send since: 9223372036854775807; no event has a larger seq.
    assertThat(log.after(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void boundedByCountTheOldestEventsGoFirst() {
    InMemoryEventLog log = new InMemoryEventLog(3, 10 * MINUTE, clock);
    append(log, 5);

    assertThat(log.oldestSeq()).isEqualTo(3);
    assertThat(seqs(log.after(0))).containsExactly(3L, 4L, 5L);
    assertThat(seqs(log.after(3))).containsExactly(4L, 5L);
    assertThat(seqs(log.after(2))).containsExactly(3L, 4L, 5L);
  }

  @Test
  void boundedByCountOverManyWrapsOfTheRing() {
    InMemoryEventLog log = new InMemoryEventLog(4, 10 * MINUTE, clock);
    append(log, 1_003);

    assertThat(log.oldestSeq()).isEqualTo(1_000);
    assertThat(seqs(log.after(0))).containsExactly(1_000L, 1_001L, 1_002L, 1_003L);
    assertThat(seqs(log.after(1_001))).containsExactly(1_002L, 1_003L);
    for (Event e : log.after(0)) {
      assertThat(e).isNotNull();
    }
  }

  @Test
  void oneEventLogHoldsOnlyTheNewest() {
    InMemoryEventLog log = new InMemoryEventLog(1, 10 * MINUTE, clock);
    append(log, 3);

    assertThat(log.oldestSeq()).isEqualTo(3);
    assertThat(seqs(log.after(0))).containsExactly(3L);
  }

  @Test
  void aLogOfNoEventsIsRefused() {
    assertThatThrownBy(() -> new InMemoryEventLog(0, MINUTE, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boundedByAgeTheOldestSeqMovesAsEventsExpire() {
    InMemoryEventLog log = new InMemoryEventLog(100, 10 * MINUTE, clock);
    append(log, 2); // seq 1, 2 at t0
    clock.advance(Duration.ofMinutes(5));
    append(log, 1); // seq 3 at t0 + 5 min

    clock.advance(Duration.ofMinutes(4));
    assertThat(log.oldestSeq()).isEqualTo(1);
    assertThat(seqs(log.after(0))).containsExactly(1L, 2L, 3L);

    clock.advance(Duration.ofMinutes(1).plusMillis(1)); // seq 1 and 2 are older than 10 min
    assertThat(log.oldestSeq()).isEqualTo(3);
    assertThat(seqs(log.after(0))).containsExactly(3L);

    clock.advance(Duration.ofMinutes(5)); // seq 3 too
    assertThat(log.after(0)).isEmpty();
    assertThat(log.oldestSeq()).as("the next seq when nothing is held").isEqualTo(4);
  }

  @Test
  void expiryIsAlsoSeenByAfterAlone() {
    InMemoryEventLog log = new InMemoryEventLog(100, MINUTE, clock);
    append(log, 3);

    clock.advance(Duration.ofMinutes(2));

    assertThat(log.after(0)).isEmpty();
    assertThat(log.after(2)).isEmpty();
  }

  @Test
  void seqKeepsGrowingAfterEverythingExpired() {
    InMemoryEventLog log = new InMemoryEventLog(100, MINUTE, clock);
    append(log, 3);
    clock.advance(Duration.ofMinutes(2));
    assertThat(log.after(0)).isEmpty();

    Event next = log.append(event(0)).join();

    assertThat(next.seq()).isEqualTo(4);
    assertThat(log.oldestSeq()).isEqualTo(4);
    assertThat(seqs(log.after(0))).containsExactly(4L);
    assertThat(seqs(log.after(3))).containsExactly(4L);
  }

  @Test
  void countAndAgeBoundsTogether() {
    InMemoryEventLog log = new InMemoryEventLog(3, 10 * MINUTE, clock);
    append(log, 2); // seq 1, 2 at t0
    clock.advance(Duration.ofMinutes(6));
    append(log, 3); // seq 3, 4, 5 at t0 + 6 min; count drops 1 and 2

    assertThat(seqs(log.after(0))).containsExactly(3L, 4L, 5L);
    clock.advance(Duration.ofMinutes(5));
    assertThat(seqs(log.after(0))).containsExactly(3L, 4L, 5L);
    clock.advance(Duration.ofMinutes(5).plusMillis(1));
    assertThat(log.after(0)).isEmpty();
    assertThat(log.oldestSeq()).isEqualTo(6);
  }

  @Test
  void anAppendRepeatingAKeyWithinItsWindowIsNotAppendedAndCarriesTheFirstSeq() {
    InMemoryEventLog log =
        new InMemoryEventLog(100, 10 * MINUTE, clock, 1, new RepeatWindow(10, MINUTE));
    EventLog.Appended first = log.append(event(0), "k1").join();
    log.append(event(0), "k2").join();

    EventLog.Appended repeat = log.append(event(0), "k1").join();

    assertThat(first.repeat()).isFalse();
    assertThat(repeat.repeat()).isTrue();
    assertThat(repeat.event().seq()).isEqualTo(first.event().seq());
    assertThat(seqs(log.after(0))).containsExactly(1L, 2L);
  }

  @Test
  void aKeyIsTakenAgainOnceItsWindowHasPassedAndAppendsWithoutKeyAreNeverRepeats() {
    InMemoryEventLog log =
        new InMemoryEventLog(100, 10 * MINUTE, clock, 1, new RepeatWindow(10, MINUTE));
    log.append(event(0), "k1").join();
    clock.advance(Duration.ofMinutes(1));

    EventLog.Appended again = log.append(event(0), "k1").join();
    EventLog.Appended noKey = log.append(event(0), null).join();
    EventLog.Appended noKeyAgain = log.append(event(0), null).join();

    assertThat(again.repeat()).isFalse();
    assertThat(again.event().seq()).isEqualTo(2);
    assertThat(List.of(noKey.repeat(), noKeyAgain.repeat())).containsExactly(false, false);
    assertThat(seqs(log.after(0))).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aKeyOutlivesItsEventInTheRing() {
    InMemoryEventLog log =
        new InMemoryEventLog(1, 10 * MINUTE, clock, 1, new RepeatWindow(10, MINUTE));
    log.append(event(0), "k1").join();
    log.append(event(0)).join();

    EventLog.Appended repeat = log.append(event(0), "k1").join();

    assertThat(repeat.repeat()).isTrue();
    assertThat(repeat.event().seq()).isEqualTo(1);
    assertThat(seqs(log.after(0))).containsExactly(2L);
  }
}
