package io.thingpush.core.device;

import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The device login of SPEC §8: username {@code {productID}&{deviceName}}, the device secret as
 * password. An unknown device and a wrong secret are refused alike, so a login never tells
 * which devices exist.
 */
public final class DeviceLogin {
  private DeviceLogin() {}

  /** The device that logs in, or empty when the login is refused. */
  public static Optional<Device> authenticate(
      Directory directory, String username, String password) {
    if (username == null || password == null) {
      return Optional.empty();
    }
    int amp = username.indexOf('&');
    if (amp <= 0 || amp == username.length() - 1 || username.indexOf('&', amp + 1) >= 0) {
      return Optional.empty();
    }
    return directory
        .device(username.substring(0, amp), username.substring(amp + 1))
        .filter(
            d ->
                MessageDigest.isEqual(
                    d.secret().getBytes(StandardCharsets.UTF_8),
                    password.getBytes(StandardCharsets.UTF_8)));
  }
}
