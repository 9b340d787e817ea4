package io.thingpush.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceTopicTest {
  @Test
  void readsDeviceTopics() {
    assertThat(DeviceTopic.parse("$thing/up/property/p/d"))
        .contains(new DeviceTopic(DeviceTopic.Kind.PROPERTY_UP, "p", "d"));
    assertThat(DeviceTopic.parse("$ota/up/progress/p/d").orElseThrow().kind())
        .isEqualTo(DeviceTopic.Kind.OTA_UP);
    assertThat(DeviceTopic.parse("$thing/up/property/p")).isEmpty();
    assertThat(DeviceTopic.parse("$thing/up/property/p/d/x")).isEmpty();
    assertThat(DeviceTopic.parse("$thing/up/property/p/+")).isEmpty();
    assertThat(DeviceTopic.parse("$thing/up/property//d")).isEmpty();
    assertThat(DeviceTopic.parse("thing/up/property/p/d")).isEmpty();
  }

  @Test
  void aDeviceUsesOnlyItsOwnTopicsEachWay() {
    assertThat(DeviceTopic.mayPublish("$thing/up/property/p/d", "p", "d")).isTrue();
    assertThat(DeviceTopic.mayPublish("$thing/up/action/p/d", "p", "d")).isTrue();
    assertThat(DeviceTopic.mayPublish("$ota/up/progress/p/d", "p", "d")).isTrue();
    assertThat(DeviceTopic.mayPublish("$thing/up/property/p/other", "p", "d")).isFalse();
    assertThat(DeviceTopic.mayPublish("$thing/down/property/p/d", "p", "d")).isFalse();
    assertThat(DeviceTopic.mayPublish("anything/else", "p", "d")).isFalse();
    assertThat(DeviceTopic.maySubscribe("$thing/down/property/p/d", "p", "d")).isTrue();
    assertThat(DeviceTopic.maySubscribe("$thing/down/action/p/d", "p", "d")).isTrue();
    assertThat(DeviceTopic.maySubscribe("$thing/down/+/p/d", "p", "d")).isFalse();
    assertThat(DeviceTopic.maySubscribe("$thing/down/property/p/#", "p", "d")).isFalse();
    assertThat(DeviceTopic.maySubscribe("$thing/up/property/p/d", "p", "d")).isFalse();
    assertThat(DeviceTopic.maySubscribe("$thing/down/property/p/x", "p", "d")).isFalse();
  }
}
