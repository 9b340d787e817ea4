package io.thingpush.server.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.http.JsonBodyHandler;
import io.thingpush.server.registry.Page;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Reads the parts of an admin request: path and query parameters, paging, the JSON body. */
final class AdminRequests {
  private AdminRequests() {}

  static String path(RoutingContext ctx, String name) {
    return ctx.pathParam(name);
  }

  /** A query parameter given at most once; null when absent or empty. */
  static String query(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw new ThingPushException(ErrorCode.PARAMETER, "query parameter " + name + " given twice");
    }
    return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  /** {@code offset} (default 0) and {@code limit} (default 100, at most 1000). */
  static Page page(RoutingContext ctx) {
    int offset = integer(ctx, "offset", 0);
    if (offset < 0) {
      throw new ThingPushException(ErrorCode.OUT_OF_RANGE, "offset must not be negative");
    }
    return new Page(offset, limit(ctx));
  }

  /** {@code limit} (default 100, at most 1000). */
  static int limit(RoutingContext ctx) {
    int limit = integer(ctx, "limit", Page.DEFAULT_LIMIT);
    if (limit < 1 || limit > Page.MAX_LIMIT) {
      throw new ThingPushException(
          ErrorCode.OUT_OF_RANGE, "limit must be from 1 to " + Page.MAX_LIMIT);
    }
    return limit;
  }

  /** The body as JSON; what is not JSON is refused here, its shape by the store. */
  static JsonNode body(RoutingContext ctx) {
    JsonNode json = Json.parseOrNull(JsonBodyHandler.text(ctx));
    if (json == null) {
      throw new ThingPushException(ErrorCode.PARAMETER, "the body must be JSON");
    }
    return json;
  }

  private static int integer(RoutingContext ctx, String name, int fallback) {
    String value = query(ctx, name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ThingPushException(ErrorCode.WRONG_TYPE, name + " must be an integer");
    }
  }
}
