package io.thingpush.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.LatestValues;
import io.thingpush.core.fanout.Hub;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Payloads;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceIds;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The one path every event source feeds: finds the device, builds the push body, appends the
 * event to the log (which gives it its seq) and fans it out. Appending and fanning out happen
 * together so every connection sees events in seq order.
 */
public final class Dispatcher {
  private final Supplier<Directory> directory;
  private final EventLog log;
  private final Hub hub;
  private final LatestValues latest;
  private final IngestMetrics metrics;
  private final Clock clock;

  public Dispatcher(
      Supplier<Directory> directory, EventLog log, LatestValues latest, Hub hub, IngestMetrics metrics, Clock clock) {
    this.directory = directory;
    this.log = log;
    this.latest = latest;
    this.hub = hub;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Publishes one event of {@code code} for a device. {@code tenantCode}, when not null,
   * restricts the source to that tenant's devices: others are "not found".
   *
   * @throws ThingPushException 100009 for an unknown device, 100006 for a malformed payload
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
    Event event;
    synchronized (this) {
      event = log.append(seq -> new Event(seq, code, device.tenantCode(), productId, deviceName,
          device.projectId(), dir.areaPath(device.areaId()), body, ingestNanos));
      latest.record(event);
      hub.publish(event);
    }
    metrics.ingested(source, code);
    return event;
  }
}
