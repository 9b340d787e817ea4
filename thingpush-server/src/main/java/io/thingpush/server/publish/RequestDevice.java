package io.thingpush.server.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.ThingPushException;

/** The device a platform request names: {@code "device":{"productID":…,"deviceName":…}}. */
public record RequestDevice(String productId, String deviceName) {

  /**
   * The {@code device} of a request object; each field a non-empty string or an integer.
   *
   * @throws ThingPushException 100006 naming the field at fault
   */
  public static RequestDevice of(JsonNode request) {
    JsonNode device = request.get("device");
    if (device == null || !device.isObject()) {
      throw PlatformPublish.bad("device must be an object with productID and deviceName");
    }
    return new RequestDevice(field(device, "productID"), field(device, "deviceName"));
  }

  private static String field(JsonNode device, String name) {
    JsonNode value = device.get(name);
    if (value == null
        || !(value.isTextual() || value.isIntegralNumber())
        || value.asText().isEmpty()) {
      throw PlatformPublish.bad("device." + name + " must be a non-empty string");
    }
    return value.asText();
  }
}
