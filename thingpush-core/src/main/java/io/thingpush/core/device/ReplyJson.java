package io.thingpush.core.device;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The text of a reply to a device, {@code {"method","msgToken"[,"actionID"],"code","msg"}}:
 * written straight into a string, with Jackson's own escapes, so that it is the very text the
 * shared mapper writes for the same object, without a tree and a generator for every message.
 */
final class ReplyJson {
  private static final JsonStringEncoder ESCAPES = JsonStringEncoder.getInstance();

  private ReplyJson() {}

  /** {@code actionId} null: none (only an action's reply names its action). */
  static String of(String method, String msgToken, String actionId, int code, String msg) {
    StringBuilder json = new StringBuilder(64 + length(msgToken) + length(msg));
    json.append("{\"method\":");
    string(json, method);
    json.append(",\"msgToken\":");
    string(json, msgToken);
    if (actionId != null) {
      json.append(",\"actionID\":");
      string(json, actionId);
    }
    json.append(",\"code\":").append(code).append(",\"msg\":");
    string(json, msg);
    return json.append('}').toString();
  }

  private static void string(StringBuilder json, String value) {
    if (value == null) {
      json.append("null");
      return;
    }
    json.append('"');
    ESCAPES.quoteAsString(value, json);
    json.append('"');
  }

  private static int length(String value) {
    return value == null ? 0 : value.length();
  }
}
