package io.thingpush.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.events.Completions;
import io.thingpush.core.events.Event;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig.PublishKey;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/push/publish}: a platform hands in an already-formed event
 * ({@code code}, {@code device}, {@code payload}); see docs/publish-api.md.
 */
final class PublishHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);
  private final ApiKeys keys;
  private final Dispatcher dispatcher;

  PublishHandler(ApiKeys keys, Dispatcher dispatcher) {
    this.keys = keys;
    this.dispatcher = dispatcher;
  }

  /** Answers once the log holds the event; the event loop never waits for it meanwhile. */
  @Override
  public void handle(RoutingContext ctx) {
    CompletionStage<Event> published;
    try {
      PublishKey key = keys.authenticate(ctx.request().getHeader("Authorization"));
      JsonNode request = Json.parseOrNull(ctx.body().asString(StandardCharsets.UTF_8.name()));
      published = publish(key, request);
    } catch (ThingPushException e) {
      ApiReplies.error(ctx, e);
      return;
    }
    Context context = Vertx.currentContext();
    published.whenComplete((event, failure) -> context.runOnContext(v -> {
      Throwable cause = failure == null ? null : Completions.cause(failure);
      if (cause == null) {
        ApiReplies.ok(ctx, Json.object().put("code", 200).put("msg", "success").put("seq", event.seq()));
      } else if (cause instanceof ThingPushException e) {
        ApiReplies.error(ctx, e);
      } else {
        LOG.error("publish failed", cause);
        ApiReplies.error(ctx, new ThingPushException(ErrorCode.SYSTEM, null));
      }
    }));
  }

  private CompletionStage<Event> publish(PublishKey key, JsonNode request) {
    if (request == null || !request.isObject()) {
      throw bad("body must be a JSON object");
    }
    JsonNode code = request.get("code");
    if (code == null || !code.isTextual()) {
      throw bad("code must be a string");
    }
    SubCode subCode = SubCode.fromWire(code.asText());
    if (subCode == null) {
      throw bad("unknown code " + code.asText());
    }
    JsonNode device = request.get("device");
    if (device == null || !device.isObject()) {
      throw bad("device must be an object with productID and deviceName");
    }
    String productId = deviceField(device, "productID");
    String deviceName = deviceField(device, "deviceName");
    return dispatcher.publish("http", key.tenant(), subCode, productId, deviceName, request.get("payload"));
  }

  /** {@code device.productID} or {@code device.deviceName} of a request: a string or an integer. */
  static String deviceField(JsonNode device, String field) {
    JsonNode value = device.get(field);
    if (value == null || !(value.isTextual() || value.isIntegralNumber()) || value.asText().isEmpty()) {
      throw bad("device." + field + " must be a non-empty string");
    }
    return value.asText();
  }

  private static ThingPushException bad(String detail) {
    return ApiReplies.bad(detail);
  }
}
