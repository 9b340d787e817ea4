package io.thingpush.core.cluster;

import java.util.Objects;

/**
 * What a write to the registry changed, so that a node reloads no more than that: everything
 * (an import, a change made elsewhere), everything but the devices (tenants, projects, areas,
 * products, grants), or one device. A registry of millions of devices is read whole only for
 * the first.
 */
public record RegistryChange(Scope scope, String productId, String deviceName) {
  public enum Scope {
    ALL,
    ALL_BUT_DEVICES,
    DEVICE
  }

  public static final RegistryChange ALL = new RegistryChange(Scope.ALL, null, null);
  public static final RegistryChange ALL_BUT_DEVICES =
      new RegistryChange(Scope.ALL_BUT_DEVICES, null, null);

  public RegistryChange {
    Objects.requireNonNull(scope, "scope");
    if ((scope == Scope.DEVICE) != (productId != null && deviceName != null)) {
      throw new IllegalArgumentException("a device change names its device, no other does");
    }
  }

  public static RegistryChange device(String productId, String deviceName) {
    return new RegistryChange(Scope.DEVICE, productId, deviceName);
  }
}
