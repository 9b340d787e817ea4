package io.thingpush.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.LogUnavailableException;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.LogSafe;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.registry.RegistryConflict;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON answers of the HTTP APIs, and the one place this edge maps error codes to HTTP. */
public final class ApiReplies {
  private static final Logger LOG = LoggerFactory.getLogger(ApiReplies.class);

  // Encoded once: every answer carries them.
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence APPLICATION_JSON =
      HttpHeaders.createOptimized("application/json");

  /** The statuses the router itself may answer with (no route, wrong method, a handler that failed). */
  private static final int[] ROUTER_STATUSES = {400, 403, 404, 405, 413, 414, 415, 431, 500, 501};

  private ApiReplies() {}

  /**
   * Makes every answer the router gives itself (no such path, wrong method, a handler that
   * failed) the JSON error of the APIs, never Vert.x's text or HTML page.
   */
  static void answerErrorsAsJson(Router router) {
    for (int status : ROUTER_STATUSES) {
      router.errorHandler(status, ApiReplies::routerError);
    }
  }

  private static void routerError(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      return;
    }
    int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
    String what = ctx.request().method() + " " + ctx.request().path();
    ThingPushException error =
        switch (status) {
          case 404 ->
              new ThingPushException(ErrorCode.NOT_FOUND, "no such path: " + ctx.request().path());
          case 405 -> new ThingPushException(ErrorCode.METHOD_NOT_SUPPORTED, what);
          case 413 -> new ThingPushException(ErrorCode.LIMIT, "the request is too large");
          case 500 -> {
            LOG.error("{} failed", LogSafe.of(what), ctx.failure());
            yield new ThingPushException(ErrorCode.SYSTEM, null);
          }
          default ->
              new ThingPushException(
                  status >= 500 ? ErrorCode.SYSTEM : ErrorCode.PARAMETER,
                  ctx.failure() == null ? null : ctx.failure().getMessage());
        };
    error(ctx, status, error);
  }

  static void ok(RoutingContext ctx, ObjectNode body) {
    send(ctx, 200, body);
  }

  /**
   * An error; the event log being away (cluster mode) is 503, to be retried; a write the
   * registry refuses for what it holds (an id taken, a thing still in use) is 409.
   */
  public static void error(RoutingContext ctx, ThingPushException e) {
    error(ctx.response(), e);
  }

  /** {@link #error(RoutingContext, ThingPushException)} on a response outside the router. */
  static void error(HttpServerResponse response, ThingPushException e) {
    if (e instanceof LogUnavailableException) {
      response.putHeader("Retry-After", "1");
      error(response, 503, e);
    } else if (e instanceof RegistryConflict) {
      error(response, 409, e);
    } else {
      error(response, status(e.code()), e);
    }
  }

  static void error(RoutingContext ctx, int status, ThingPushException e) {
    error(ctx.response(), status, e);
  }

  static void error(HttpServerResponse response, int status, ThingPushException e) {
    send(
        response,
        status,
        Json.text(Json.object().put("code", e.code().code()).put("msg", e.message(Lang.EN))));
  }

  /** Answers {@code body} with {@code status}. */
  public static void send(RoutingContext ctx, int status, ObjectNode body) {
    send(ctx.response(), status, Json.text(body));
  }

  /** Answers the JSON text {@code body} with {@code status}. */
  static void send(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader(CONTENT_TYPE, APPLICATION_JSON).end(body);
  }

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
