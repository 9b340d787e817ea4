package io.thingpush.bench.device;

import java.util.Locale;

/** The ways from the simulated devices to the simulated apps that a devices run compares. */
public enum DevicePath {
  /** Devices on ThingPush's embedded MQTT endpoint, apps on its WebSocket. */
  EMBEDDED,
  /** Devices on a private Mosquitto that ThingPush bridges from, apps on ThingPush's WebSocket. */
  BRIDGE,
  /** The alternative without ThingPush: devices on a private Mosquitto, apps subscribed to it over MQTT on WebSocket. */
  MOSQUITTO;

  public static DevicePath parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--paths: embedded, bridge or mosquitto, not " + text);
    }
  }

  public String label() {
    return switch (this) {
      case EMBEDDED -> "thingpush embedded";
      case BRIDGE -> "mosquitto → thingpush bridge";
      case MOSQUITTO -> "mosquitto, MQTT/WebSocket apps";
    };
  }

  public boolean thingpush() {
    return this != MOSQUITTO;
  }

  public boolean broker() {
    return this != EMBEDDED;
  }
}
