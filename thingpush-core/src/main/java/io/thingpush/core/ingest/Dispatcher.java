package io.thingpush.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Payloads;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceIds;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one path every event source feeds: finds the device, builds the push body and appends
 * the event to the log, which gives it its seq. In embedded mode it also hands the event to
 * this node's fan-out, under one lock with the append so every connection sees events in seq
 * order; in cluster mode every node (this one included) gets its events from the cluster bus.
 */
public final class Dispatcher {
  private final Supplier<Directory> directory;
  private final EventLog log;
  private final Consumer<Event> localFanout;
  private final IngestMetrics metrics;
  private final Clock clock;

  /** @param localFanout what gets each appended event on this node; null in cluster mode */
  public Dispatcher(
      Supplier<Directory> directory, EventLog log, Consumer<Event> localFanout, IngestMetrics metrics, Clock clock) {
    this.directory = directory;
    this.log = log;
    this.localFanout = localFanout;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Publishes one event of {@code code} for a device. {@code tenantCode}, when not null,
   * restricts the source to that tenant's devices: others are "not found".
   *
   * @throws ThingPushException 100009 for an unknown device, 100006 for a malformed payload
   * @throws io.thingpush.core.events.LogUnavailableException when the log cannot take events:
   *     nothing was appended and the source must not acknowledge the event
   */
  public Event publish(
      String source, String tenantCode, SubCode code, String productId, String deviceName, JsonNode payload) {
    long ingestNanos = System.nanoTime();
    Directory dir = directory.get();
    Device device =
        dir.device(productId, deviceName)
            .filter(d -> tenantCode == null || d.tenantCode().equals(tenantCode))
            .orElseThrow(() -> new ThingPushException(
                ErrorCode.NOT_FOUND, "device " + productId + "/" + deviceName + " not found"));
    ObjectNode body = Payloads.body(code, productId, deviceName, payload, clock.millis(), TraceIds::next);
    Event unsequenced = new Event(0, code, device.tenantCode(), productId, deviceName,
        device.projectId(), dir.areaPath(device.areaId()), body, ingestNanos);
    Event event;
    if (localFanout == null) {
      event = log.append(unsequenced);
    } else {
      synchronized (this) {
        event = log.append(unsequenced);
        localFanout.accept(event);
      }
    }
    metrics.ingested(source, code);
    return event;
  }
}
