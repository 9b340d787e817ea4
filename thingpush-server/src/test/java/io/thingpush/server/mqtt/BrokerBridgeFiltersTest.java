package io.thingpush.server.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The subscriptions the bridge makes at the broker (the Mosquitto tests can only use plain ones). */
class BrokerBridgeFiltersTest {
  @Test
  void aShareGroupMakesSharedSubscriptionsOfTheUpTopics() {
    assertThat(BrokerBridge.filters("thingpush"))
        .containsOnlyKeys(
            "$share/thingpush/$thing/up/property/+/+",
            "$share/thingpush/$thing/up/action/+/+",
            "$share/thingpush/$ota/up/progress/+/+")
        .containsValues(1);
  }

  @Test
  void noShareGroupMakesPlainSubscriptions() {
    assertThat(BrokerBridge.filters(""))
        .containsOnlyKeys("$thing/up/property/+/+", "$thing/up/action/+/+", "$ota/up/progress/+/+");
  }
}
