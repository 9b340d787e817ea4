package io.thingpush.core.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;

/**
 * The common frame of every device message, {@code {"method", "msgToken", ...}}: what can be
 * read of it even when the rest is wrong, so that an error reply still carries the token.
 */
record Envelope(ObjectNode json, String method, String msgToken) {
  static Envelope read(String payload) {
    JsonNode node = Json.parseOrNull(payload);
    if (node == null || !node.isObject()) {
      return new Envelope(null, null, "");
    }
    JsonNode method = node.get("method");
    JsonNode token = node.get("msgToken");
    return new Envelope(
        (ObjectNode) node,
        method != null && method.isTextual() && !method.textValue().isEmpty()
            ? method.textValue()
            : null,
        token != null && token.isTextual() ? token.textValue() : "");
  }

  /**
   * Checks the frame: a JSON object with a method, and a string msgToken when there is one.
   *
   * @throws ThingPushException 100006 naming what is wrong
   */
  void requireWellFormed() {
    if (json == null) {
      throw bad("the message is not a JSON object");
    }
    if (method == null) {
      throw bad("method must be a non-empty string");
    }
    JsonNode token = json.get("msgToken");
    if (token != null && !token.isTextual()) {
      throw bad("msgToken must be a string");
    }
  }

  /** The {@code params} object; {@code required} refuses a missing or empty one. */
  ObjectNode params(boolean required) {
    JsonNode params = json.get("params");
    if (params == null || params.isNull()) {
      if (required) {
        throw bad("params must be a non-empty object");
      }
      return Json.object();
    }
    if (!params.isObject() || (required && params.isEmpty())) {
      throw bad(required ? "params must be a non-empty object" : "params must be an object");
    }
    return (ObjectNode) params;
  }

  /** A required non-empty string field. */
  String text(String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw bad(field + " must be a non-empty string");
    }
    return value.textValue();
  }

  /** The action of the message for devicePublish: its method, or "unknown" when it has none. */
  String action() {
    return method == null ? "unknown" : method;
  }

  static ThingPushException bad(String detail) {
    return new ThingPushException(ErrorCode.PARAMETER, detail);
  }
}
