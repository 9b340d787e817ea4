package io.thingpush.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.directory.Device;
import io.thingpush.protocol.SubCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded latest-value store: the newest value of every reported device property, fed by
 * the feed in seq order from both property codes, and each device's newest state of each
 * state code; read by connection threads.
 */
public final class LatestValues implements LatestStore {
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Value>> byDevice =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Value> states = new ConcurrentHashMap<>();
  private volatile long recordedUpTo;

  @Override
  public void record(Event event) {
    if (event.code() == SubCode.DEVICE_PROPERTY_REPORT) {
      put(event, event.body().get("identifier").asText(), event.body().get("param"));
    } else if (event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2) {
      event
          .body()
          .get("params")
          .fields()
          .forEachRemaining(p -> put(event, p.getKey(), p.getValue()));
    } else if (event.code().isState()) {
      states.put(
          stateKey(event.code(), event.productId(), event.deviceName()), Value.stateOf(event));
    }
    recordedUpTo = event.seq();
  }

  private void put(Event event, String identifier, JsonNode param) {
    byDevice
        .computeIfAbsent(
            deviceKey(event.productId(), event.deviceName()), k -> new ConcurrentHashMap<>())
        .put(identifier, new Value(param, event.body().get("timestamp").asText(), event.seq()));
  }

  /**
   * Answers at once, up to the seq recorded when asked: the feed records an event before
   * the hub fans it out, so every later event reaches the caller live.
   */
  @Override
  public CompletionStage<Values> read(SubCode code, List<Device> devices, long liveAfter) {
    long upTo = recordedUpTo;
    Map<Device, Map<String, Value>> values = new HashMap<>();
    if (code.isState()) {
      for (Device device : devices) {
        Value state = states.get(stateKey(code, device.productId(), device.deviceName()));
        if (state != null && state.seq() <= upTo) {
          values.put(device, Map.of(code.wire(), state));
        }
      }
      return CompletableFuture.completedFuture(new Values(upTo, values));
    }
    for (Device device : devices) {
      Map<String, Value> held = byDevice.get(deviceKey(device.productId(), device.deviceName()));
      if (held != null) {
        Map<String, Value> upToSeam = new HashMap<>();
        held.forEach(
            (identifier, value) -> {
              if (value.seq() <= upTo) {
                upToSeam.put(identifier, value);
              }
            });
        values.put(device, upToSeam);
      }
    }
    return CompletableFuture.completedFuture(new Values(upTo, values));
  }

  private static String deviceKey(String productId, String deviceName) {
    return productId + '\u0000' + deviceName;
  }

  private static String stateKey(SubCode code, String productId, String deviceName) {
    return code.wire() + '\u0000' + deviceKey(productId, deviceName);
  }
}
