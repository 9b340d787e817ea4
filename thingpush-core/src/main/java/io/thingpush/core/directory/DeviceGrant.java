package io.thingpush.core.directory;

import java.util.Objects;

/**
 * One device shared with one user of the device's tenant (i-Things' "shared device"): the user
 * reads that device wherever it sits, whatever else the user may read.
 */
public record DeviceGrant(String tenantCode, String userId, String productId, String deviceName) {
  public DeviceGrant {
    Objects.requireNonNull(tenantCode, "tenantCode");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(productId, "productId");
    Objects.requireNonNull(deviceName, "deviceName");
  }
}
