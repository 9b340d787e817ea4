package io.thingpush.server.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.Event;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import java.util.ArrayList;
import java.util.List;

/**
 * An event as a NATS message body: everything but its seq, which is the stream's. The ingest
 * time travels as wall-clock milliseconds so each node can measure push latency from it.
 */
final class EventCodec {
  private EventCodec() {}

  static byte[] encode(Event event, long ingestMillis) {
    ObjectNode node =
        Json.object()
            .put("code", event.code().wire())
            .put("tenant", event.tenantCode())
            .put("project", event.projectId())
            .put("product", event.productId())
            .put("device", event.deviceName())
            .put("ingestMs", ingestMillis);
    ArrayNode areas = node.putArray("areas");
    event.areaPath().forEach(areas::add);
    node.set("body", event.body());
    return Json.bytes(node);
  }

  /** The event at {@code seq}; null for a body this version cannot read (logged by the caller). */
  static Event decode(byte[] data, long seq, long nowMillis) {
    JsonNode node = Json.parseOrNull(new String(data, java.nio.charset.StandardCharsets.UTF_8));
    if (node == null || !node.isObject()) {
      return null;
    }
    SubCode code = SubCode.fromWire(node.path("code").asText());
    JsonNode body = node.get("body");
    if (code == null || body == null || !body.isObject()) {
      return null;
    }
    List<String> areas = new ArrayList<>();
    node.path("areas").forEach(a -> areas.add(a.asText()));
    long ageNanos = Math.max(0, nowMillis - node.path("ingestMs").asLong(nowMillis)) * 1_000_000L;
    return new Event(
        seq,
        code,
        node.path("tenant").asText(),
        node.path("product").asText(),
        node.path("device").asText(),
        node.path("project").asText(),
        areas,
        (ObjectNode) body,
        System.nanoTime() - ageNanos);
  }
}
