package io.thingpush.core.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.Event;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.core.ingest.Dispatcher.Publication;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The events a device's traffic makes, each handed to the one dispatcher as source "mqtt". */
final class DeviceEvents {
  static final String SOURCE = "mqtt";

  private final Dispatcher dispatcher;

  DeviceEvents(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** devicePublish: one message to or from the device, with the result of handling it. */
  CompletionStage<Event> message(
      String productId,
      String deviceName,
      String topic,
      String action,
      String content,
      String requestId,
      String traceId,
      int resultCode,
      String respPayload) {
    return publish(
        productId,
        deviceName,
        message(topic, action, content, requestId, traceId, resultCode, respPayload));
  }

  /** The devicePublish of {@link #message}, to publish with others. */
  static Publication message(
      String topic,
      String action,
      String content,
      String requestId,
      String traceId,
      int resultCode,
      String respPayload) {
    return new Publication(
        SubCode.DEVICE_PUBLISH,
        Json.object()
            .put("topic", topic)
            .put("action", action)
            .put("content", content)
            .put("requestID", requestId)
            .put("traceID", traceId)
            .put("resultCode", resultCode)
            .put("respPayload", respPayload));
  }

  /** deviceActionReport of a call or a reply; {@code operatorUserId} null when no app user asked for it. */
  CompletionStage<Event> action(
      String productId,
      String deviceName,
      String msgToken,
      String actionId,
      JsonNode params,
      int code,
      String msg,
      String dir,
      String reqType,
      Long operatorUserId) {
    return publish(
        productId,
        deviceName,
        action(msgToken, actionId, params, code, msg, dir, reqType, operatorUserId));
  }

  /** The deviceActionReport of {@link #action}, to publish with others. */
  static Publication action(
      String msgToken,
      String actionId,
      JsonNode params,
      int code,
      String msg,
      String dir,
      String reqType,
      Long operatorUserId) {
    ObjectNode payload = Json.object().put("msgToken", msgToken).put("actionID", actionId);
    payload.set("params", params);
    payload.put("code", code).put("msg", msg).put("dir", dir).put("reqType", reqType);
    return new Publication(SubCode.DEVICE_ACTION_REPORT, operator(payload, operatorUserId));
  }

  /**
   * A property report: a devicePropertyReport per property, then one devicePropertyReportV2 of
   * them all; {@code timestamp} null for the ingest time, {@code operatorUserId} null when no app
   * user's control caused it.
   */
  CompletionStage<List<Event>> reported(
      String productId,
      String deviceName,
      ObjectNode params,
      JsonNode timestamp,
      Long operatorUserId) {
    List<Publication> report = new ArrayList<>();
    addReported(report, params, timestamp, operatorUserId);
    return publishAll(productId, deviceName, report);
  }

  /** Adds the events of {@link #reported} to {@code events}. */
  static void addReported(
      List<Publication> events, ObjectNode params, JsonNode timestamp, Long operatorUserId) {
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      ObjectNode event = Json.object().put("identifier", property.getKey());
      event.set("param", property.getValue());
      event.set("timestamp", timestamp);
      events.add(new Publication(SubCode.DEVICE_PROPERTY_REPORT, operator(event, operatorUserId)));
    }
    ObjectNode v2 = Json.object();
    v2.set("params", params);
    v2.set("timestamp", timestamp);
    events.add(new Publication(SubCode.DEVICE_PROPERTY_REPORT_V2, operator(v2, operatorUserId)));
  }

  /** The operator as i-Things stamps it: a JSON number, absent when there is none. */
  private static ObjectNode operator(ObjectNode payload, Long operatorUserId) {
    return operatorUserId == null ? payload : payload.put("operatorUserId", operatorUserId);
  }

  /** Completes once the log holds the event; see {@link Dispatcher#publish}. */
  CompletionStage<Event> publish(
      String productId, String deviceName, SubCode code, ObjectNode payload) {
    return publish(productId, deviceName, new Publication(code, payload));
  }

  /** Completes once the log holds the event; see {@link Dispatcher#publish}. */
  CompletionStage<Event> publish(String productId, String deviceName, Publication event) {
    return dispatcher.publish(SOURCE, null, event.code(), productId, deviceName, event.payload());
  }

  /** Completes once the log holds the events, appended in their order; see {@link Dispatcher#publishAll}. */
  CompletionStage<List<Event>> publishAll(
      String productId, String deviceName, List<Publication> events) {
    return dispatcher.publishAll(SOURCE, productId, deviceName, events);
  }

  /** Completes once every one of {@code dispatched} did, or fails once all are done and one of them failed. */
  static CompletionStage<Void> all(List<CompletionStage<Event>> dispatched) {
    return CompletableFuture.allOf(
        dispatched.stream()
            .map(CompletionStage::toCompletableFuture)
            .toArray(CompletableFuture[]::new));
  }
}
