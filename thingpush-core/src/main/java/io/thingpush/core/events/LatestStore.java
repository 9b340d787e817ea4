package io.thingpush.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.directory.Device;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where {@code snapshot} (SPEC §2) reads the newest value of every device property: in memory
 * on one node, a JetStream key-value bucket shared by the nodes of a cluster.
 */
public interface LatestStore {
  /** One property value with the timestamp and seq of the event that set it. */
  record Value(JsonNode param, String timestamp, long seq) {}

  /**
   * The values held for each device, complete for every event up to {@link #upTo()}: a live
   * event with a larger seq is not in it, one with a seq up to it is.
   */
  record Values(long upTo, Map<Device, Map<String, Value>> byDevice) {}

  /**
   * Records the values an event carries; the feed calls it for every event, in seq order,
   * before the hub fans it out.
   */
  void record(Event event);

  /**
   * The newest values of {@code devices}. {@code liveAfter} is a seq from which the caller
   * receives live events anyway; a store that cannot tell its own seam answers up to it.
   */
  CompletionStage<Values> read(List<Device> devices, long liveAfter);
}
