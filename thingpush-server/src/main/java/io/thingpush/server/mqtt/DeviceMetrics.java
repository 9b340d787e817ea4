package io.thingpush.server.mqtt;

/** What the device side (the embedded endpoint, the bridge) counts; the server's metrics implement it. */
public interface DeviceMetrics {
  DeviceMetrics NONE = new DeviceMetrics() {};

  /**
   * A device connection ended: {@code left} (the device closed it, or its network or keep-alive
   * did), or the server ended it: {@code taken_over}, {@code revoked}, {@code not_authorized}
   * (a publish to a topic not its own), {@code server_busy}.
   */
  default void disconnected(String reason) {}

  /** An acknowledgement not sent because the device had left meanwhile (it may send that message again). */
  default void acknowledgementLost() {}

  /**
   * A reply or action call the bridge did not get to the broker: {@code queue_full} (too many
   * waited for room), {@code unacknowledged} (no PUBACK within the ack time-out, as when the
   * connection dropped), {@code refused} (by the bridge's own MQTT client).
   */
  default void bridgePublishDropped(String reason) {}
}
