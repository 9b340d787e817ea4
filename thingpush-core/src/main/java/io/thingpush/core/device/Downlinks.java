package io.thingpush.core.device;

/** Finds the way to a device: its own connection, or the broker it is connected to. */
public interface Downlinks {
  /** The device's downlink, or null when the device cannot be reached now. */
  Downlink to(String productId, String deviceName);
}
