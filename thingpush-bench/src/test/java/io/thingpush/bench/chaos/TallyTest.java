package io.thingpush.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TallyTest {
  private static TreeSet<Long> acknowledged(long... seqs) {
    return new TreeSet<>(LongStream.of(seqs).boxed().toList());
  }

  @Test
  void everyAcknowledgedEventOnceInOrderIsClean() {
    Tally t = Tally.of(acknowledged(3, 5, 8), List.of(3L, 5L, 8L));

    assertThat(t).isEqualTo(new Tally(3, 3, 0, 0, 0, 0, List.of()));
    assertThat(t.failed()).isFalse();
  }

  @Test
  void aMissingAcknowledgedEventIsLostWithItsSeq() {
    Tally t = Tally.of(acknowledged(3, 5, 8), List.of(3L, 8L));

    assertThat(t.delivered()).isEqualTo(2);
    assertThat(t.lost()).isEqualTo(1);
    assertThat(t.lostSeqs()).containsExactly(5L);
    assertThat(t.failed()).isTrue();
  }

  @Test
  void aSeqReceivedTwiceIsADuplicateNotASecondDelivery() {
    Tally t = Tally.of(acknowledged(3, 5), List.of(3L, 5L, 5L));

    assertThat(t.delivered()).isEqualTo(2);
    assertThat(t.duplicated()).isEqualTo(1);
    assertThat(t.outOfOrder()).isZero();
    assertThat(t.failed()).isTrue();
  }

  @Test
  void aSeqBelowOneReceivedBeforeIsOutOfOrder() {
    Tally t = Tally.of(acknowledged(3, 5, 8), List.of(3L, 8L, 5L));

    assertThat(t.lost()).isZero();
    assertThat(t.outOfOrder()).isEqualTo(1);
    assertThat(t.failed()).isTrue();
  }

  /** A publish answered 503 after its time-out may still have been stored: delivering it is allowed. */
  @Test
  void aDeliveredEventNoPublishWasToldOfIsCountedButAllowed() {
    Tally t = Tally.of(acknowledged(3, 8), List.of(3L, 5L, 8L));

    assertThat(t.unacknowledged()).isEqualTo(1);
    assertThat(t.failed()).isFalse();
  }

  @Test
  void onlyTheFirstLostSeqsAreKept() {
    TreeSet<Long> many = new TreeSet<>(LongStream.rangeClosed(1, 50).boxed().toList());

    Tally t = Tally.of(many, List.of());

    assertThat(t.lost()).isEqualTo(50);
    assertThat(t.lostSeqs()).hasSize(Tally.LOST_SEQS_SHOWN).startsWith(1L, 2L);
  }
}
