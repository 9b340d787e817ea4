package io.thingpush.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.device.ModelViolation;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.publish.PlatformPublish;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * What the action and control APIs share: the operator a request names, and the answer once the
 * device replied, did not reply in time, or the request was refused.
 */
final class DeviceReplies {
  private DeviceReplies() {}

  /**
   * The optional {@code operatorUserId}: the app user the request is made for, an integer as
   * i-Things' user ids are (a JSON number, or a string of its digits), kept to the last digit.
   */
  static Long operator(JsonNode request) {
    JsonNode node = request.get("operatorUserId");
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isTextual() && node.textValue().matches("-?[0-9]{1,19}")) {
      try {
        return Long.parseLong(node.textValue());
      } catch (NumberFormatException tooLarge) {
        // refused below
      }
    }
    throw PlatformPublish.bad("operatorUserId must be an integer (a user id)");
  }

  /** Answers the device's reply, or the failure of the request ({@code timeout}: how long it waited). */
  static void answer(
      RoutingContext ctx, String device, Duration timeout, ObjectNode reply, Throwable failure) {
    if (failure == null) {
      ObjectNode body = Json.object().put("code", 200).put("msg", "success");
      body.set("reply", reply);
      ApiReplies.ok(ctx, body);
    } else if (failure instanceof TimeoutException) {
      ApiReplies.error(
          ctx,
          504,
          new ThingPushException(
              ErrorCode.SYSTEM,
              "device " + device + " did not reply within " + timeout.toMillis() + " ms"));
    } else if (failure instanceof ThingPushException e) {
      ApiReplies.error(ctx, e);
    } else {
      ApiReplies.error(ctx, new ThingPushException(ErrorCode.SYSTEM, failure.toString()));
    }
  }

  /** Values that break the thing model: 406 with i-Things' code 406, nothing sent. */
  static void refused(RoutingContext ctx, ModelViolation e) {
    ApiReplies.send(
        ctx, 406, Json.object().put("code", ModelViolation.CODE).put("msg", e.getMessage()));
  }
}
