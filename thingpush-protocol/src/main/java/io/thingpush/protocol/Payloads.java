package io.thingpush.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Supplier;

/**
 * Builds the {@code body} of a push (SPEC §3) from an event payload a platform or a device
 * adapter hands in: required fields are checked, the fields given are kept, and only what is
 * missing is added ({@code device}, {@code timestamp}, and {@code traceID} for devicePublish).
 */
public final class Payloads {
  private Payloads() {}

  public static ObjectNode body(
      SubCode code,
      String productID,
      String deviceName,
      JsonNode payload,
      long nowMillis,
      Supplier<String> traceId) {
    if (payload == null || !payload.isObject()) {
      throw bad("payload must be an object");
    }
    ObjectNode body = Json.object();
    if (code == SubCode.DEVICE_PUBLISH) {
      body.put("productID", productID);
      body.put("deviceName", deviceName);
    } else {
      ObjectNode device = body.putObject("device");
      device.put("productID", productID);
      device.put("deviceName", deviceName);
    }
    body.put("timestamp", timestamp(payload.get("timestamp"), nowMillis));
    // The event's device is the one it was published for: a payload never renames it.
    payload.fields().forEachRemaining(f -> body.putIfAbsent(f.getKey(), f.getValue()));
    switch (code) {
      case DEVICE_PROPERTY_REPORT -> {
        requireString(payload, "identifier");
        if (!payload.has("param") || payload.get("param").isNull()) {
          throw bad("payload.param is required");
        }
      }
      case DEVICE_PROPERTY_REPORT_V2 -> {
        JsonNode params = payload.get("params");
        if (params == null || !params.isObject() || params.isEmpty()) {
          throw bad("payload.params must be a non-empty object");
        }
      }
      case DEVICE_PUBLISH -> {
        requireString(payload, "topic");
        requireString(payload, "action");
        requireString(payload, "content");
        optionalString(payload, "requestID");
        optionalString(payload, "traceID");
        optionalString(payload, "respPayload");
        optionalNumber(payload, "resultCode");
        if (!body.hasNonNull("traceID")) {
          body.put("traceID", traceId.get());
        }
      }
      case DEVICE_ACTION_REPORT -> {
        requireString(payload, "actionID");
        oneOf(payload, "dir", "up", "down");
        oneOf(payload, "reqType", "req", "resp");
        optionalString(payload, "msgToken");
        optionalString(payload, "msg");
        optionalNumber(payload, "code");
        JsonNode params = payload.get("params");
        if (params != null && !params.isObject()) {
          throw bad("payload.params must be an object");
        }
      }
      case DEVICE_CONN -> intIn(payload, "status", 1, 2);
      case DEVICE_OTA_REPORT -> {
        intIn(payload, "step", -4, 100);
        intIn(payload, "status", 1, 7);
        optionalString(payload, "detail");
      }
    }
    return body;
  }

  /** A timestamp as a string of digits; a missing one is {@code nowMillis}. */
  private static String timestamp(JsonNode node, long nowMillis) {
    if (node == null || node.isNull()) {
      return Long.toString(nowMillis);
    }
    if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
      return Long.toString(node.asLong());
    }
    String text = node.isTextual() ? node.asText() : "";
    if (!text.isEmpty()
        && text.length() <= 19
        && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Long.toString(Long.parseLong(text));
      } catch (NumberFormatException tooLarge) {
        // falls through to the refusal
      }
    }
    throw bad("payload.timestamp must be milliseconds since the epoch (digits)");
  }

  private static void requireString(JsonNode payload, String key) {
    JsonNode node = payload.get(key);
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw bad("payload." + key + " must be a non-empty string");
    }
  }

  private static void optionalString(JsonNode payload, String key) {
    JsonNode node = payload.get(key);
    if (node != null && !node.isNull() && !node.isTextual()) {
      throw bad("payload." + key + " must be a string");
    }
  }

  private static void optionalNumber(JsonNode payload, String key) {
    JsonNode node = payload.get(key);
    if (node != null && !node.isNull() && !node.isIntegralNumber()) {
      throw bad("payload." + key + " must be an integer");
    }
  }

  private static void oneOf(JsonNode payload, String key, String a, String b) {
    JsonNode node = payload.get(key);
    if (node == null
        || !(a.equals(node.asText()) || b.equals(node.asText()))
        || !node.isTextual()) {
      throw bad("payload." + key + " must be \"" + a + "\" or \"" + b + "\"");
    }
  }

  private static void intIn(JsonNode payload, String key, int min, int max) {
    JsonNode node = payload.get(key);
    if (node == null || !node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
      throw bad("payload." + key + " must be an integer from " + min + " to " + max);
    }
  }

  private static ThingPushException bad(String detail) {
    return new ThingPushException(ErrorCode.PARAMETER, detail);
  }
}
