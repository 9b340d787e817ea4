package io.thingpush.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.SubCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest value of every reported device property, for {@code snapshot} (SPEC §2). Fed by
 * the dispatcher in seq order from both property codes; read by connection threads.
 */
public final class LatestValues {
  /** One property value with the timestamp and seq of the event that set it. */
  public record Value(JsonNode param, String timestamp, long seq) {}

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Value>> byDevice = new ConcurrentHashMap<>();
  private volatile long recordedUpTo;

  /** Records the values an event carries; called for every event, in seq order. */
  public void record(Event event) {
    if (event.code() == SubCode.DEVICE_PROPERTY_REPORT) {
      put(event, event.body().get("identifier").asText(), event.body().get("param"));
    } else if (event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2) {
      event.body().get("params").fields().forEachRemaining(p -> put(event, p.getKey(), p.getValue()));
    }
    recordedUpTo = event.seq();
  }

  private void put(Event event, String identifier, JsonNode param) {
    byDevice.computeIfAbsent(deviceKey(event.productId(), event.deviceName()), k -> new ConcurrentHashMap<>())
        .put(identifier, new Value(param, event.body().get("timestamp").asText(), event.seq()));
  }

  /**
   * The seq up to which every event has been recorded. Read it before the values: a value
   * with a larger seq may or may not be there yet.
   */
  public long recordedUpTo() {
    return recordedUpTo;
  }

  /** The newest values of one device by identifier (empty when it never reported). */
  public Map<String, Value> of(String productId, String deviceName) {
    Map<String, Value> values = byDevice.get(deviceKey(productId, deviceName));
    return values == null ? Map.of() : values;
  }

  private static String deviceKey(String productId, String deviceName) {
    return productId + '\u0000' + deviceName;
  }
}
