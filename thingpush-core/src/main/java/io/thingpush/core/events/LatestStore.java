package io.thingpush.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.directory.Device;
import io.thingpush.protocol.SubCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where {@code snapshot} (SPEC §2, §10) reads the newest value of every device property and the
 * current state of each device (its connection, its upgrade): in memory on one node, a JetStream
 * key-value bucket shared by the nodes of a cluster.
 */
public interface LatestStore {
  /**
   * One property value with the timestamp and seq of the event that set it; for a state, {@code
   * param} holds the fields of the body that set it other than {@code device} and {@code timestamp}
   * ({@code status}; for an upgrade also {@code detail} and {@code step}).
   */
  record Value(JsonNode param, String timestamp, long seq) {
    /** The state an event of a state code sets. */
    public static Value stateOf(Event event) {
      ObjectNode fields = event.body().deepCopy();
      fields.remove("device");
      fields.remove("timestamp");
      return new Value(fields, event.body().path("timestamp").asText(), event.seq());
    }
  }

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
   * What a snapshot of {@code code} sends for {@code devices}: for the property codes each
   * device's property values by identifier, for a state code its state under the code's wire name.
   * {@code liveAfter} is a seq from which the caller receives live events anyway; a store that
   * cannot tell its own seam answers up to it.
   */
  CompletionStage<Values> read(SubCode code, List<Device> devices, long liveAfter);
}
