package io.thingpush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
  private final ReconnectPolicy policy = ReconnectPolicy.defaults();

  @Test
  void theDelayDoublesFromTheMinimumUpToTheCap() {
    assertThat(policy.delay(0, () -> 0)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.delay(1, () -> 0)).isEqualTo(Duration.ofMillis(1000));
    assertThat(policy.delay(3, () -> 0)).isEqualTo(Duration.ofMillis(4000));
    assertThat(policy.delay(10, () -> 0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.delay(10_000, () -> 0)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void jitterTakesAwayUpToHalfTheDelay() {
    assertThat(policy.delay(3, () -> 0.999_999)).isEqualTo(Duration.ofMillis(2000));
    for (int i = 0; i < 200; i++) {
      assertThat(policy.delay(3, () -> ThreadLocalRandom.current().nextDouble()))
          .isBetween(Duration.ofMillis(2000), Duration.ofMillis(4000));
    }
  }

  @Test
  void closesThatCannotSucceedAgainAreNotRetried() {
    assertThat(ReconnectPolicy.retryable(4000)).isFalse();
    assertThat(ReconnectPolicy.retryable(4003)).isFalse();
    assertThat(ReconnectPolicy.retryable(1009)).isFalse();
    assertThat(ReconnectPolicy.retryable(4008)).isTrue();
    assertThat(ReconnectPolicy.retryable(4009)).isTrue();
    assertThat(ReconnectPolicy.retryable(4029)).isTrue();
    assertThat(ReconnectPolicy.retryable(1006)).isTrue();
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> policy.withDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
