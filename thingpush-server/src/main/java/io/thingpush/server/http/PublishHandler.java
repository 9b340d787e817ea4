package io.thingpush.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.LogUnavailableException;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig.PublishKey;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * {@code POST /api/v1/push/publish}: a platform hands in an already-formed event
 * ({@code code}, {@code device}, {@code payload}); see docs/publish-api.md.
 */
final class PublishHandler implements Handler<RoutingContext> {
  private static final String BEARER = "Bearer ";

  private final List<PublishKey> keys;
  private final Dispatcher dispatcher;

  PublishHandler(List<PublishKey> keys, Dispatcher dispatcher) {
    this.keys = keys;
    this.dispatcher = dispatcher;
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      PublishKey key = authenticate(ctx.request().getHeader("Authorization"));
      JsonNode request = Json.parseOrNull(ctx.body().asString(StandardCharsets.UTF_8.name()));
      Event event = publish(key, request);
      ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
          .end("{\"code\":200,\"msg\":\"success\",\"seq\":" + event.seq() + "}");
    } catch (LogUnavailableException e) {
      ctx.response().setStatusCode(503).putHeader("content-type", "application/json").putHeader("Retry-After", "1")
          .end(Json.text(Json.object().put("code", e.code().code()).put("msg", e.message(Lang.EN))));
    } catch (ThingPushException e) {
      ctx.response().setStatusCode(status(e.code())).putHeader("content-type", "application/json")
          .end(Json.text(Json.object().put("code", e.code().code()).put("msg", e.message(Lang.EN))));
    }
  }

  private PublishKey authenticate(String header) {
    if (header != null && header.startsWith(BEARER)) {
      byte[] given = header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8);
      for (PublishKey key : keys) {
        if (MessageDigest.isEqual(given, key.key().getBytes(StandardCharsets.UTF_8))) {
          return key;
        }
      }
    }
    throw new ThingPushException(ErrorCode.TOKEN_INVALID, "missing or unknown publish key");
  }

  private Event publish(PublishKey key, JsonNode request) {
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
    String productId = text(device, "productID");
    String deviceName = text(device, "deviceName");
    return dispatcher.publish("http", key.tenant(), subCode, productId, deviceName, request.get("payload"));
  }

  private static String text(JsonNode device, String field) {
    JsonNode value = device.get(field);
    if (value == null || !(value.isTextual() || value.isIntegralNumber()) || value.asText().isEmpty()) {
      throw bad("device." + field + " must be a non-empty string");
    }
    return value.asText();
  }

  private static ThingPushException bad(String detail) {
    return new ThingPushException(ErrorCode.PARAMETER, detail);
  }

  /** The HTTP status of an API error: the one place this edge maps codes. */
  private static int status(ErrorCode code) {
    return switch (code) {
      case TOKEN_INVALID, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case LIMIT -> 429;
      case SYSTEM -> 500;
      default -> 400;
    };
  }
}
