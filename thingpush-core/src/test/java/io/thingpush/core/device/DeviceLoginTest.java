package io.thingpush.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceLoginTest {
  private final DeviceFixture f = new DeviceFixture();

  @Test
  void theDeviceLogsInWithItsNameAndSecret() {
    assertThat(DeviceLogin.authenticate(f.directory, "prod&d1", "secret"))
        .map(d -> d.deviceName())
        .contains("d1");
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(DeviceLogin.authenticate(f.directory, "prod&d1", "Secret")).isEmpty();
    assertThat(DeviceLogin.authenticate(f.directory, "prod&d1", "")).isEmpty();
    assertThat(DeviceLogin.authenticate(f.directory, "prod&d1", null)).isEmpty();
    assertThat(DeviceLogin.authenticate(f.directory, "prod&nope", "secret")).isEmpty();
    assertThat(DeviceLogin.authenticate(f.directory, null, "secret")).isEmpty();
    for (String username : new String[] {"prod", "prod&", "&d1", "prod&d1&x", "prod/d1", ""}) {
      assertThat(DeviceLogin.authenticate(f.directory, username, "secret")).as(username).isEmpty();
    }
  }
}
