package io.thingpush.core.device;

import java.util.Optional;

/**
 * A device topic of SPEC §8, {@code <kind prefix>/{productID}/{deviceName}}, and which of them
 * a device may use: it publishes on its own up topics and subscribes to its own down topics.
 */
public record DeviceTopic(Kind kind, String productId, String deviceName) {
  /** The topics a device and the cloud exchange, each with its fixed prefix. */
  public enum Kind {
    PROPERTY_UP("$thing/up/property", true),
    ACTION_UP("$thing/up/action", true),
    OTA_UP("$ota/up/progress", true),
    PROPERTY_DOWN("$thing/down/property", false),
    ACTION_DOWN("$thing/down/action", false);

    private final String prefix;
    private final boolean up;

    Kind(String prefix, boolean up) {
      this.prefix = prefix;
      this.up = up;
    }

    public String prefix() {
      return prefix;
    }

    /** Device → cloud. */
    public boolean up() {
      return up;
    }
  }

  /** The topic of {@code kind} for one device. */
  public static String of(Kind kind, String productId, String deviceName) {
    return kind.prefix + "/" + productId + "/" + deviceName;
  }

  public String topic() {
    return of(kind, productId, deviceName);
  }

  /** Reads a topic name; empty when it is not a device topic (wildcards never are). */
  public static Optional<DeviceTopic> parse(String topic) {
    for (Kind kind : Kind.values()) {
      if (topic.startsWith(kind.prefix + "/")) {
        String[] rest = topic.substring(kind.prefix.length() + 1).split("/", -1);
        if (rest.length == 2 && name(rest[0]) && name(rest[1])) {
          return Optional.of(new DeviceTopic(kind, rest[0], rest[1]));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether device {@code productId}/{@code deviceName} may publish on {@code topic}. */
  public static boolean mayPublish(String topic, String productId, String deviceName) {
    return parse(topic).filter(t -> t.mayBePublishedBy(productId, deviceName)).isPresent();
  }

  /** Whether device {@code productId}/{@code deviceName} may publish on this topic. */
  public boolean mayBePublishedBy(String productId, String deviceName) {
    return kind.up && isOf(productId, deviceName);
  }

  /** Whether the device may subscribe to {@code filter}: one of its own down topics, no wildcard. */
  public static boolean maySubscribe(String filter, String productId, String deviceName) {
    return parse(filter).filter(t -> !t.kind.up && t.isOf(productId, deviceName)).isPresent();
  }

  private boolean isOf(String productId, String deviceName) {
    return this.productId.equals(productId) && this.deviceName.equals(deviceName);
  }

  private static boolean name(String level) {
    return !level.isEmpty() && level.indexOf('+') < 0 && level.indexOf('#') < 0;
  }
}
