package io.thingpush.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceTable;
import io.thingpush.core.directory.Directory;
import java.util.List;
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
    assertThat(f.presence.online("prod", "d1", second).toCompletableFuture().join())
        .isSameAs(first);
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

  @Test
  void aNewSecretRevokesTheSessionWhoseEndIsThenTheOneOffline() {
    f.presence.online("prod", "d1", first);

    f.presence.revokeLogins(f.directory, withD1("another secret", "p1"));

    assertThat(first.revoked).hasValue(1);
    assertThat(f.presence.to("prod", "d1"))
        .as("the device's session until it ends")
        .isSameAs(first);
    f.presence.offline("prod", "d1", first);
    f.presence.offline("prod", "d1", first);
    assertThat(f.events()).extracting(e -> e.body().get("status").asInt()).containsExactly(1, 2);
  }

  @Test
  void aSessionThatLoggedInWithTheNewSecretIsKept() {
    DeviceFixture.Recorder renewed = new DeviceFixture.Recorder("another secret");
    f.presence.online("prod", "d1", renewed);

    f.presence.revokeLogins(f.directory, withD1("another secret", "p1"));

    assertThat(renewed.revoked).hasValue(0);
  }

  @Test
  void aDeletedDeviceIsRevokedAndForgottenWithoutAnEvent() {
    f.presence.online("prod", "d1", first);

    f.presence.revokeLogins(
        f.directory, f.directory.withDevices(f.directory.deviceTable().without("prod", "d1")));

    assertThat(first.revoked).hasValue(1);
    assertThat(f.presence.to("prod", "d1")).isNull();
    assertThat(f.presence.connected()).isZero();
    f.presence.offline("prod", "d1", first);
    assertThat(f.events()).extracting(e -> e.body().get("status").asInt()).containsExactly(1);
  }

  @Test
  void aMoveOrAReloadThatKeepsTheSecretRevokesNothing() {
    f.presence.online("prod", "d1", first);

    f.presence.revokeLogins(f.directory, withD1("secret", "p2"));
    f.presence.revokeLogins(f.directory, withD1("secret", "p1"));
    f.presence.revokeLogins(f.directory, f.directory);

    assertThat(first.revoked).hasValue(0);
    assertThat(f.presence.to("prod", "d1")).isSameAs(first);
  }

  /** The fixture's directory with a new device table holding only d1, as given. */
  private Directory withD1(String secret, String projectId) {
    return f.directory.withDevices(
        DeviceTable.of(List.of(new Device("prod", "d1", secret, "default", projectId, null))));
  }
}
