package io.thingpush.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The window of idempotency keys: a key is known for its window, and at most maxKeys are held. */
class RepeatWindowTest {
  private static final long WINDOW = 120_000;
  private final RepeatWindow window = new RepeatWindow(3, WINDOW);

  @Test
  void aKeyTakenIsKnownWithItsSeqAndAnotherKeyIsNot() {
    window.remember("k1", 41, 1_000);

    assertThat(window.seqOf("k1", 1_000)).hasValue(41);
    assertThat(window.seqOf("k2", 1_000)).isEmpty();
  }

  @Test
  void aKeyIsKnownUntilItsWindowHasPassed() {
    window.remember("k1", 41, 1_000);

    assertThat(window.seqOf("k1", 1_000 + WINDOW - 1)).hasValue(41);
    assertThat(window.seqOf("k1", 1_000 + WINDOW)).isEmpty();
    assertThat(window.size()).isZero();
  }

  @Test
  void eachKeyHasAWindowOfItsOwn() {
    window.remember("k1", 1, 0);
    window.remember("k2", 2, 60_000);

    assertThat(window.seqOf("k1", WINDOW)).isEmpty();
    assertThat(window.seqOf("k2", WINDOW)).hasValue(2);
  }

  @Test
  void pastMaxKeysTheOldestKeyIsForgottenFirst() {
    for (int i = 1; i <= 4; i++) {
      window.remember("k" + i, i, i);
    }

    assertThat(window.size()).isEqualTo(3);
    assertThat(window.seqOf("k1", 5)).isEmpty();
    assertThat(window.seqOf("k2", 5)).hasValue(2);
    assertThat(window.seqOf("k4", 5)).hasValue(4);
  }

  @Test
  void aKeyTakenAgainCountsFromItsNewTime() {
    window.remember("k1", 1, 0);
    window.remember("k2", 2, 10);
    window.remember("k1", 3, 20);

    assertThat(window.seqOf("k2", WINDOW + 10)).isEmpty();
    assertThat(window.seqOf("k1", WINDOW + 10)).isEqualTo(OptionalLong.of(3));
  }

  @Test
  void aWindowWithoutRoomOrTimeIsRefused() {
    assertThatThrownBy(() -> new RepeatWindow(0, WINDOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RepeatWindow(3, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
