package io.thingpush.core.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One device event with its place in the log. Immutable; its {@code down.pub} frame is encoded
 * once per language (and, for a V2 report pushed to identifier subscriptions, once per set of
 * identifiers) and the same bytes go to every recipient.
 */
public final class Event {
  private final long seq;
  private final SubCode code;
  private final String tenantCode;
  private final String productId;
  private final String deviceName;
  private final String projectId;
  private final List<String> areaPath;
  private final long ingestNanos;
  private final ObjectNode body;
  private final List<SubKey> keys;
  private final AtomicReferenceArray<byte[]> frames =
      new AtomicReferenceArray<>(Lang.values().length);
  private final ConcurrentHashMap<Object, byte[]> filteredFrames = new ConcurrentHashMap<>(0);
  private static final Runnable NOTHING = () -> {};

  /**
   * @param areaPath the device's area and its ancestors, leaf first
   * @param ingestNanos {@link System#nanoTime()} when the event entered, for latency metrics
   */
  public Event(
      long seq,
      SubCode code,
      String tenantCode,
      String productId,
      String deviceName,
      String projectId,
      List<String> areaPath,
      ObjectNode body,
      long ingestNanos) {
    this.seq = seq;
    this.code = code;
    this.tenantCode = tenantCode;
    this.productId = productId;
    this.deviceName = deviceName;
    this.projectId = projectId;
    this.areaPath = List.copyOf(areaPath);
    this.body = body;
    this.ingestNanos = ingestNanos;
    this.keys =
        Collections.unmodifiableList(keys(code, productId, deviceName, projectId, areaPath, body));
  }

  /** {@code of} at {@code seq}: the same device, body and keys, computed once per event. */
  private Event(Event of, long seq) {
    this.seq = seq;
    this.code = of.code;
    this.tenantCode = of.tenantCode;
    this.productId = of.productId;
    this.deviceName = of.deviceName;
    this.projectId = of.projectId;
    this.areaPath = of.areaPath;
    this.body = of.body;
    this.ingestNanos = of.ingestNanos;
    this.keys = of.keys;
  }

  private static List<SubKey> keys(
      SubCode code,
      String productId,
      String deviceName,
      String projectId,
      List<String> areaPath,
      ObjectNode body) {
    List<SubKey> keys = new ArrayList<>(5 + areaPath.size());
    for (String identifier : identifiers(code, body)) {
      keys.add(new SubKey(code, Target.property(productId, deviceName, identifier)));
    }
    keys.add(new SubKey(code, Target.device(productId, deviceName)));
    for (String areaId : areaPath) {
      keys.add(new SubKey(code, Target.area(projectId, areaId)));
    }
    keys.add(new SubKey(code, Target.project(projectId)));
    // Where the {shareDevice: true} subscriptions of the users the device is shared with are
    // routed.
    keys.add(new SubKey(code, Target.sharedDevice(productId, deviceName)));
    return keys;
  }

  private static List<String> identifiers(SubCode code, ObjectNode body) {
    if (code == SubCode.DEVICE_PROPERTY_REPORT) {
      return List.of(body.get("identifier").asText());
    }
    if (code == SubCode.DEVICE_PROPERTY_REPORT_V2) {
      List<String> ids = new ArrayList<>();
      body.get("params").fieldNames().forEachRemaining(ids::add);
      return ids;
    }
    if (code == SubCode.DEVICE_ACTION_REPORT) {
      // i-Things publishes action reports under identifier = the actionID.
      return List.of(body.get("actionID").asText());
    }
    return List.of();
  }

  public long seq() {
    return seq;
  }

  public SubCode code() {
    return code;
  }

  public String tenantCode() {
    return tenantCode;
  }

  public String productId() {
    return productId;
  }

  public String deviceName() {
    return deviceName;
  }

  public String projectId() {
    return projectId;
  }

  /** The device's area and its ancestors when the event entered, leaf first. */
  public List<String> areaPath() {
    return areaPath;
  }

  /**
   * This event at its place in the log. Sources build an event with seq 0 and the log gives it
   * its seq when it appends it.
   */
  public Event withSeq(long newSeq) {
    return new Event(this, newSeq);
  }

  public long ingestNanos() {
    return ingestNanos;
  }

  /** The push body (SPEC §3). Callers must not modify it. */
  public ObjectNode body() {
    return body;
  }

  /**
   * The index keys this event matches: properties (or the action) first, then device, areas leaf
   * first, project, and the device as shares reach it.
   */
  public List<SubKey> keys() {
    return keys;
  }

  /** The encoded {@code down.pub} frame of the whole event. */
  public byte[] frame(Lang lang) {
    return frame(lang, NOTHING);
  }

  /** The encoded {@code down.pub} frame of the whole event; {@code onEncode} runs when this call encoded it. */
  public byte[] frame(Lang lang, Runnable onEncode) {
    byte[] frame = frames.get(lang.ordinal());
    if (frame == null) {
      synchronized (this) {
        frame = frames.get(lang.ordinal());
        if (frame == null) {
          frame = Frames.pub(lang, code.wire(), seq, body);
          frames.set(lang.ordinal(), frame);
          onEncode.run();
        }
      }
    }
    return frame;
  }

  /** The {@code down.pub} frame of a V2 report carrying only {@code identifiers}. */
  public byte[] frame(Lang lang, Set<String> identifiers) {
    return frame(lang, identifiers, NOTHING);
  }

  /** The frame of a V2 report carrying only {@code identifiers}; {@code onEncode} runs when this call encoded it. */
  public byte[] frame(Lang lang, Set<String> identifiers, Runnable onEncode) {
    return filteredFrames.computeIfAbsent(
        List.of(lang, identifiers),
        k -> {
          onEncode.run();
          return Frames.pub(lang, code.wire(), seq, body(identifiers));
        });
  }

  /** The body of a V2 report carrying only {@code identifiers} (a copy). */
  public ObjectNode body(Set<String> identifiers) {
    ObjectNode cut = body.deepCopy();
    ObjectNode params = (ObjectNode) cut.get("params");
    for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
      if (!identifiers.contains(it.next())) {
        it.remove();
      }
    }
    return cut;
  }

  @Override
  public String toString() {
    return "Event{seq="
        + seq
        + ", code="
        + code.wire()
        + ", device="
        + productId
        + "/"
        + deviceName
        + ", body="
        + Json.text(body)
        + "}";
  }
}
