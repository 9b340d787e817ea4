package io.thingpush.core.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.LatestStore;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The pushes of {@code snapshot: true} (SPEC §2, §10): the latest value of each matching
 * property, or the current state of each matching device, with the timestamp and seq of the
 * event that set it.
 */
final class Snapshot {
  private Snapshot() {}

  /** The devices whose values a subscription to {@code target} covers. */
  static List<Device> devices(Directory dir, Target target) {
    return switch (target.kind()) {
      case PROPERTY, DEVICE ->
          dir.device(target.productID(), target.deviceName()).stream().toList();
      case PROJECT -> dir.devicesOfProject(target.projectID());
      case AREA ->
          dir.devicesOfProject(target.projectID()).stream()
              .filter(d -> dir.areaPath(d.areaId()).contains(target.areaID()))
              .toList();
      case SHARES, SHARED_DEVICE ->
          throw new IllegalArgumentException("the devices of shares depend on the user");
    };
  }

  /** The frames for {@code key} from values read for {@code devices}, those whose body {@code passes} (a filter). */
  static List<byte[]> frames(
      List<Device> devices,
      LatestStore.Values read,
      SubKey key,
      Predicate<ObjectNode> passes,
      Lang lang) {
    Target target = key.target();
    List<byte[]> frames = new ArrayList<>();
    for (Device device : devices) {
      if (key.code().isState()) {
        LatestStore.Value state =
            read.byDevice().getOrDefault(device, Map.of()).get(key.code().wire());
        if (state != null && state.seq() <= read.upTo()) {
          ObjectNode body = body(device, state.timestamp());
          body.setAll((ObjectNode) state.param());
          if (passes.test(body)) {
            frames.add(Frames.pub(lang, key.code().wire(), state.seq(), body));
          }
        }
        continue;
      }
      List<Map.Entry<String, LatestStore.Value>> values = new ArrayList<>();
      for (Map.Entry<String, LatestStore.Value> v :
          read.byDevice().getOrDefault(device, Map.of()).entrySet()) {
        if (v.getValue().seq() <= read.upTo()
            && (target.identifier() == null || target.identifier().equals(v.getKey()))) {
          values.add(v);
        }
      }
      values.sort(Map.Entry.comparingByKey());
      if (key.code() == SubCode.DEVICE_PROPERTY_REPORT) {
        for (Map.Entry<String, LatestStore.Value> v : values) {
          ObjectNode body = body(device, v.getValue().timestamp());
          body.put("identifier", v.getKey());
          body.set("param", v.getValue().param());
          if (passes.test(body)) {
            frames.add(Frames.pub(lang, key.code().wire(), v.getValue().seq(), body));
          }
        }
      } else if (!values.isEmpty()) {
        v2(device, values, passes, lang).ifPresent(frames::add);
      }
    }
    return frames;
  }

  private static Optional<byte[]> v2(
      Device device,
      List<Map.Entry<String, LatestStore.Value>> values,
      Predicate<ObjectNode> passes,
      Lang lang) {
    long seq = 0;
    long timestamp = 0;
    ObjectNode params = Json.object();
    for (Map.Entry<String, LatestStore.Value> v : values) {
      seq = Math.max(seq, v.getValue().seq());
      timestamp = Math.max(timestamp, Long.parseLong(v.getValue().timestamp()));
      params.set(v.getKey(), v.getValue().param());
    }
    ObjectNode body = body(device, Long.toString(timestamp));
    body.set("params", params);
    return passes.test(body)
        ? Optional.of(Frames.pub(lang, SubCode.DEVICE_PROPERTY_REPORT_V2.wire(), seq, body))
        : Optional.empty();
  }

  private static ObjectNode body(Device device, String timestamp) {
    ObjectNode body = Json.object();
    body.putObject("device")
        .put("productID", device.productId())
        .put("deviceName", device.deviceName());
    body.put("timestamp", timestamp);
    return body;
  }
}
