package io.thingpush.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.EventLog.Appended;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Payloads;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceIds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The one path every event source feeds: finds the device, builds the push body and appends
 * the event to the log, which gives it its seq. Nothing else: the log's feed brings every
 * event to the hub, on this node as on every other.
 */
public final class Dispatcher {
  private final Supplier<Directory> directory;
  private final EventLog log;
  private final IngestMetrics metrics;
  private final Clock clock;

  public Dispatcher(
      Supplier<Directory> directory, EventLog log, IngestMetrics metrics, Clock clock) {
    this.directory = directory;
    this.log = log;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Publishes one event of {@code code} for a device. {@code tenantCode}, when not null,
   * restricts the source to that tenant's devices: others are "not found". Completes with the
   * event and its seq once the log holds it (the embedded log feeds it before that); a source
   * acknowledges the event only then. Never throws: a refusal fails the returned stage with
   * ThingPushException 100009 for an unknown device, 100006 for a malformed payload, or
   * {@link io.thingpush.core.events.LogUnavailableException} when the log cannot take events
   * (nothing was appended).
   */
  public CompletionStage<Event> publish(
      String source,
      String tenantCode,
      SubCode code,
      String productId,
      String deviceName,
      JsonNode payload) {
    return publish(source, tenantCode, code, productId, deviceName, payload, null)
        .thenApply(Appended::event);
  }

  /**
   * Publishes as above, once per {@code idempotencyKey} (null: no key): an event whose key the
   * log still remembers is neither appended nor fanned out again, and completes as a repeat with
   * the first event's seq.
   */
  public CompletionStage<Appended> publish(
      String source,
      String tenantCode,
      SubCode code,
      String productId,
      String deviceName,
      JsonNode payload,
      String idempotencyKey) {
    long ingestNanos = System.nanoTime();
    try {
      Directory dir = directory.get();
      Device device = find(dir, tenantCode, productId, deviceName);
      return log.append(
              unsequenced(
                  dir.areaPath(device.areaId()),
                  device,
                  code,
                  payload,
                  clock.millis(),
                  ingestNanos),
              idempotencyKey)
          .thenApply(
              appended -> {
                if (!appended.repeat()) {
                  metrics.ingested(source, code);
                }
                return appended;
              });
    } catch (ThingPushException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** One event of a device for {@link #publishAll}: its code and its payload. */
  public record Publication(SubCode code, JsonNode payload) {}

  /**
   * Publishes the events of one device message as {@link #publish} does each, appended to the
   * log in their order and at once where the log can (embedded: under one lock). Completes with
   * the events once the log holds them all; fails as {@link #publish} does.
   */
  public CompletionStage<List<Event>> publishAll(
      String source, String productId, String deviceName, List<Publication> publications) {
    long ingestNanos = System.nanoTime();
    try {
      Directory dir = directory.get();
      Device device = find(dir, null, productId, deviceName);
      long now = clock.millis();
      List<String> areaPath = dir.areaPath(device.areaId());
      List<Event> events = new ArrayList<>(publications.size());
      for (Publication p : publications) {
        events.add(unsequenced(areaPath, device, p.code(), p.payload(), now, ingestNanos));
      }
      return log.append(events)
          .thenApply(
              appended -> {
                for (Publication p : publications) {
                  metrics.ingested(source, p.code());
                }
                return appended;
              });
    } catch (ThingPushException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The event of {@code payload} before the log gives it its seq, stamped {@code nowMillis}; its
   * index keys from the device's {@code areaPath} in the directory.
   */
  private static Event unsequenced(
      List<String> areaPath,
      Device device,
      SubCode code,
      JsonNode payload,
      long nowMillis,
      long ingestNanos) {
    ObjectNode body =
        Payloads.body(
            code, device.productId(), device.deviceName(), payload, nowMillis, TraceIds::next);
    return new Event(
        0,
        code,
        device.tenantCode(),
        device.productId(),
        device.deviceName(),
        device.projectId(),
        areaPath,
        body,
        ingestNanos);
  }

  private static Device find(
      Directory dir, String tenantCode, String productId, String deviceName) {
    return dir.device(productId, deviceName)
        .filter(d -> tenantCode == null || d.tenantCode().equals(tenantCode))
        .orElseThrow(
            () ->
                new ThingPushException(
                    ErrorCode.NOT_FOUND, "device " + productId + "/" + deviceName + " not found"));
  }
}
