package io.thingpush.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthTest {
  @Test
  void readyOnlyWhileEveryCheckPasses() {
    Health health = new Health();
    AtomicBoolean nats = new AtomicBoolean(false);
    health.addReadinessCheck("registry", () -> true);
    health.addReadinessCheck("nats", nats::get);

    assertThat(health.ready()).isFalse();
    assertThat(health.readiness())
        .containsExactly(java.util.Map.entry("registry", true), java.util.Map.entry("nats", false));
    nats.set(true);
    assertThat(health.ready()).isTrue();
  }

  @Test
  void aCheckNameIsTakenOnce() {
    Health health = new Health();
    health.addReadinessCheck("nats", () -> true);
    assertThatThrownBy(() -> health.addReadinessCheck("nats", () -> false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
