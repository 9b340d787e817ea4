package io.thingpush.core.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;

/** The events a device's traffic makes, each handed to the one dispatcher as source "mqtt". */
final class DeviceEvents {
  static final String SOURCE = "mqtt";

  private final Dispatcher dispatcher;

  DeviceEvents(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** devicePublish: one message to or from the device, with the result of handling it. */
  void message(String productId, String deviceName, String topic, String action, String content,
      String requestId, String traceId, int resultCode, String respPayload) {
    publish(productId, deviceName, SubCode.DEVICE_PUBLISH, Json.object()
        .put("topic", topic).put("action", action).put("content", content).put("requestID", requestId)
        .put("traceID", traceId).put("resultCode", resultCode).put("respPayload", respPayload));
  }

  /** deviceActionReport of a call or a reply. */
  void action(String productId, String deviceName, String msgToken, String actionId, JsonNode params,
      int code, String msg, String dir, String reqType) {
    ObjectNode payload = Json.object().put("msgToken", msgToken).put("actionID", actionId);
    payload.set("params", params);
    payload.put("code", code).put("msg", msg).put("dir", dir).put("reqType", reqType);
    publish(productId, deviceName, SubCode.DEVICE_ACTION_REPORT, payload);
  }

  void publish(String productId, String deviceName, SubCode code, ObjectNode payload) {
    dispatcher.publish(SOURCE, null, code, productId, deviceName, payload);
  }
}
