package io.thingpush.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.device.ActionCalls;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.publish.PlatformPublish;
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
  private final DeviceRequesters requesters;
  private final ActionCalls calls;
  private final Duration timeout;

  ActionHandler(DeviceRequesters requesters, ActionCalls calls, Duration timeout) {
    this.requesters = requesters;
    this.calls = calls;
    this.timeout = timeout;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Context context = Vertx.currentContext();
    String device;
    try {
      DeviceRequesters.Caller caller = requesters.caller(ctx.request().getHeader("Authorization"));
      JsonNode request = Json.parseOrNull(JsonBodyHandler.text(ctx));
      if (request == null || !request.isObject()) {
        throw PlatformPublish.bad("body must be a JSON object");
      }
      RequestDevice target = RequestDevice.of(request);
      JsonNode actionId = request.get("actionID");
      if (actionId == null || !actionId.isTextual() || actionId.textValue().isEmpty()) {
        throw PlatformPublish.bad("actionID must be a non-empty string");
      }
      DeviceRequesters.Requester requester = caller.on(target, DeviceReplies.operator(request));
      device = target.productId() + "/" + target.deviceName();
      calls
          .call(
              requester.tenant(),
              target.productId(),
              target.deviceName(),
              actionId.textValue(),
              request.get("params"),
              requester.operator(),
              timeout)
          .whenComplete(
              (reply, failure) ->
                  context.runOnContext(
                      v -> DeviceReplies.answer(ctx, device, timeout, reply, failure)));
    } catch (ThingPushException e) {
      ApiReplies.error(ctx, e);
    }
  }
}
