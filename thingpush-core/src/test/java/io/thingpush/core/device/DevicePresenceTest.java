package io.thingpush.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevicePresenceTest {
  private final DeviceFixture f = new DeviceFixture();
  private final DeviceFixture.Recorder first = new DeviceFixture.Recorder();
  private final DeviceFixture.Recorder second = new DeviceFixture.Recorder();

  @Test
  void connectAndDisconnectAreOneTransitionEach() {
    assertThat(f.presence.online("prod", "d1", first).toCompletableFuture().join()).isNull();
    f.presence.offline("prod", "d1", first);
    f.presence.offline("prod", "d1", first);

    assertThat(f.events()).extracting(e -> e.body().get("status").asInt()).containsExactly(1, 2);
    assertThat(f.presence.to("prod", "d1")).isNull();
  }

  @Test
  void aSecondLoginTakesOverWithoutATransition() {
    f.presence.online("prod", "d1", first);
    assertThat(f.presence.online("prod", "d1", second).toCompletableFuture().join()).isSameAs(first);
    f.presence.offline("prod", "d1", first);

    assertThat(f.events()).extracting(e -> e.body().get("status").asInt()).containsExactly(1);
    assertThat(f.presence.to("prod", "d1")).isSameAs(second);
    f.presence.offline("prod", "d1", second);
    assertThat(f.events()).extracting(e -> e.body().get("status").asInt()).containsExactly(1, 2);
  }

  @Test
  void aLoginWhoseOnlineEventTheLogRefusedEndsWithoutATransition() {
    DeviceFixture cluster = new DeviceFixture(true);
    cluster.held.refuse();

    assertThat(cluster.presence.online("prod", "d1", first)).isCompletedExceptionally();
    assertThat(cluster.presence.to("prod", "d1")).isNull();
    assertThat(cluster.presence.offline("prod", "d1", first)).isCompleted();
    assertThat(cluster.events()).isEmpty();
  }
}
