package io.thingpush.server.http;

import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * Cross-origin requests from browser pages ({@code http.corsAllowedOrigins}): a page of a listed
 * origin may call the HTTP APIs, its preflight answered here. Any other origin gets no CORS
 * header, so its page cannot read an answer (and cannot send the {@code Authorization} header
 * every API needs); callers that are not browsers send no {@code Origin} and are unaffected.
 */
final class Cors implements Handler<RoutingContext> {
  private static final String METHODS = "GET, POST, PUT, DELETE";
  private static final String HEADERS = "Authorization, Content-Type, Accept-Language";
  private static final String MAX_AGE_SECONDS = "600";

  private final boolean any;
  private final Set<String> origins;

  Cors(List<String> allowedOrigins) {
    this.any = allowedOrigins.contains("*");
    this.origins = Set.copyOf(allowedOrigins);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    boolean preflight =
        ctx.request().method() == HttpMethod.OPTIONS
            && ctx.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
    if (origin == null) {
      ctx.next();
      return;
    }
    boolean allowed = any || origins.contains(origin);
    if (preflight && !allowed) {
      ApiReplies.error(
          ctx,
          403,
          new ThingPushException(
              ErrorCode.FORBIDDEN, "origin " + origin + " is not in http.corsAllowedOrigins"));
      return;
    }
    if (allowed) {
      ctx.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, any ? "*" : origin);
    }
    ctx.response().putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    if (preflight) {
      ctx.response()
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS)
          .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS)
          .setStatusCode(204)
          .end();
      return;
    }
    ctx.next();
  }
}
