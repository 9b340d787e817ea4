package io.thingpush.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.device.ModelViolation;
import io.thingpush.core.device.PropertyControls;
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
 * {@code POST /api/v1/push/control}: sets properties of a device and answers with the device's
 * {@code controlReply}; 406 when the values break the thing model (nothing sent), 504 when the
 * device did not reply in time; see docs/action-api.md.
 */
final class ControlHandler implements Handler<RoutingContext> {
  private final DeviceRequesters requesters;
  private final PropertyControls controls;
  private final Duration timeout;

  ControlHandler(DeviceRequesters requesters, PropertyControls controls, Duration timeout) {
    this.requesters = requesters;
    this.controls = controls;
    this.timeout = timeout;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Context context = Vertx.currentContext();
    try {
      DeviceRequesters.Caller caller = requesters.caller(ctx.request().getHeader("Authorization"));
      JsonNode request = Json.parseOrNull(JsonBodyHandler.text(ctx));
      if (request == null || !request.isObject()) {
        throw PlatformPublish.bad("body must be a JSON object");
      }
      RequestDevice target = RequestDevice.of(request);
      DeviceRequesters.Requester requester = caller.on(target, DeviceReplies.operator(request));
      String device = target.productId() + "/" + target.deviceName();
      controls
          .control(
              requester.tenant(),
              target.productId(),
              target.deviceName(),
              request.get("params"),
              requester.operator(),
              timeout)
          .whenComplete(
              (reply, failure) ->
                  context.runOnContext(
                      v -> DeviceReplies.answer(ctx, device, timeout, reply, failure)));
    } catch (ModelViolation e) {
      DeviceReplies.refused(ctx, e);
    } catch (ThingPushException e) {
      ApiReplies.error(ctx, e);
    }
  }
}
