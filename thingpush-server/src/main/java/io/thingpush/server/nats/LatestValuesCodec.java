package io.thingpush.server.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.LatestStore.Value;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One device's latest values as a key-value entry: {@code {"<identifier>":{"param","timestamp","seq"}}};
 * and each state of a device as an entry of its own, {@code {"<code>":{"param","timestamp","seq"}}}.
 */
final class LatestValuesCodec {
  private LatestValuesCodec() {}

  /**
   * The bucket key of what a snapshot of {@code code} reads for a device: {@code product.device}
   * for the property codes, {@code code.product.device} for a state code (tokens escape dots, so
   * the two never meet).
   */
  static String key(SubCode code, String productId, String deviceName) {
    String device = Subjects.token(productId) + '.' + Subjects.token(deviceName);
    return code.isState() ? code.wire() + '.' + device : device;
  }

  /** Whether {@code event} changes what a snapshot of {@code code} reads. */
  static boolean sets(SubCode code, Event event) {
    return code.isProperty() ? isProperty(event) : event.code() == code;
  }

  /** Whether {@code event} changes any entry: a property report or a state event. */
  static boolean isKept(Event event) {
    return isProperty(event) || event.code().isState();
  }

  static Map<String, Value> decode(byte[] data) {
    Map<String, Value> values = new HashMap<>();
    JsonNode node =
        data == null ? null : Json.parseOrNull(new String(data, StandardCharsets.UTF_8));
    if (node != null && node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  values.put(
                      f.getKey(),
                      new Value(
                          f.getValue().get("param"),
                          f.getValue().path("timestamp").asText(),
                          f.getValue().path("seq").asLong())));
    }
    return values;
  }

  static byte[] encode(Map<String, Value> values) {
    ObjectNode node = Json.object();
    values.forEach(
        (identifier, v) -> {
          ObjectNode value = node.putObject(identifier);
          value.set("param", v.param());
          value.put("timestamp", v.timestamp());
          value.put("seq", v.seq());
        });
    return Json.bytes(node);
  }

  /**
   * Merges the property values {@code event} carries (or the state it sets) into {@code values},
   * keeping the newest seq of each.
   */
  static boolean merge(Map<String, Value> values, Event event) {
    if (event.code().isState()) {
      return put(values, event.code().wire(), Value.stateOf(event));
    }
    boolean changed = false;
    String timestamp = event.body().path("timestamp").asText();
    if (event.code() == SubCode.DEVICE_PROPERTY_REPORT) {
      changed =
          put(
              values,
              event.body().path("identifier").asText(),
              new Value(event.body().get("param"), timestamp, event.seq()));
    } else if (event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2) {
      for (var it = event.body().path("params").fields(); it.hasNext(); ) {
        var p = it.next();
        changed |= put(values, p.getKey(), new Value(p.getValue(), timestamp, event.seq()));
      }
    }
    return changed;
  }

  /** Puts {@code value} unless a value of the same or a newer seq is held; true when it did. */
  static boolean put(Map<String, Value> values, String identifier, Value value) {
    Value held = values.get(identifier);
    if (held != null && held.seq() >= value.seq()) {
      return false;
    }
    values.put(identifier, value);
    return true;
  }

  static boolean isProperty(Event event) {
    return event.code() == SubCode.DEVICE_PROPERTY_REPORT
        || event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2;
  }
}
