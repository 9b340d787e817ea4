package io.thingpush.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.device.ActionCalls;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig.PublishKey;
import io.thingpush.server.publish.PlatformPublish;
import io.thingpush.server.publish.PublishKeys;
import io.thingpush.server.publish.RequestDevice;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code POST /api/v1/push/action}: calls an action of a device and answers with the device's
 * reply, or 504 when it did not reply in time; see docs/action-api.md.
 */
final class ActionHandler implements Handler<RoutingContext> {
  private final PublishKeys keys;
  private final ActionCalls calls;
  private final Duration timeout;

  ActionHandler(PublishKeys keys, ActionCalls calls, Duration timeout) {
    this.keys = keys;
    this.calls = calls;
    this.timeout = timeout;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Context context = Vertx.currentContext();
    String device;
    try {
      PublishKey key = keys.authenticate(ctx.request().getHeader("Authorization"));
      JsonNode request = Json.parseOrNull(JsonBodyHandler.text(ctx));
      if (request == null || !request.isObject()) {
        throw PlatformPublish.bad("body must be a JSON object");
      }
      RequestDevice target = RequestDevice.of(request);
      JsonNode actionId = request.get("actionID");
      if (actionId == null || !actionId.isTextual() || actionId.textValue().isEmpty()) {
        throw PlatformPublish.bad("actionID must be a non-empty string");
      }
      Long operator = DeviceReplies.operator(request);
      device = target.productId() + "/" + target.deviceName();
      calls.call(key.tenant(), target.productId(), target.deviceName(), actionId.textValue(), request.get("params"),
              operator, timeout)
          .whenComplete((reply, failure) -> context.runOnContext(
              v -> DeviceReplies.answer(ctx, device, timeout, reply, failure)));
    } catch (ThingPushException e) {
      ApiReplies.error(ctx, e);
    }
  }
}
