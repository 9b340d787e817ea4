package io.thingpush.core.device;

import io.thingpush.core.directory.Device;

/** A device's connection to this node: who logged in, the way to the device, and the way to end its login. */
public interface DeviceConnection extends Downlink {
  /** The device as it logged in (its secret included). */
  Device device();

  /**
   * The device's login no longer holds (it was deleted, or its secret changed): ends the
   * connection, so that the device must log in again with what the registry holds now.
   */
  void revoke();
}
