package io.thingpush.core.directory;

import java.util.Locale;
import java.util.Objects;

/**
 * A device, named by {@code productId} + {@code deviceName} everywhere. Its tenant is its
 * product's; {@code areaId} is null when the device sits in the project outside any area.
 */
public record Device(
    String productId,
    String deviceName,
    String secret,
    String tenantCode,
    String projectId,
    String areaId) {
  public Device {
    // Interned, as subscriptions intern the targets they hold (Target.interned()): a subscription
    // to a registered device then shares the registry's names instead of holding copies.
    productId = Objects.requireNonNull(productId, "productId").intern();
    deviceName = Objects.requireNonNull(deviceName, "deviceName").intern();
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(tenantCode, "tenantCode");
    Objects.requireNonNull(projectId, "projectId");
  }

  /** Never print the secret (records print every field). */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Device[productId=%s, deviceName=%s, tenantCode=%s, projectId=%s, areaId=%s]",
        productId,
        deviceName,
        tenantCode,
        projectId,
        areaId);
  }
}
