package io.thingpush.core.device;

/** The way to one device: sends it a message on a topic (MQTT QoS 1). */
public interface Downlink {
  void send(String topic, String payload);
}
