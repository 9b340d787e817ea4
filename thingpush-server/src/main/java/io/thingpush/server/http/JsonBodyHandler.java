package io.thingpush.server.http;

import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Reads the body of a JSON API request, at most {@code limit} bytes, whatever its Content-Type
 * says: {@code curl -d} sends {@code application/x-www-form-urlencoded}, and a form decoder
 * would refuse the {@code %} of a unit or a text before the API ever saw the JSON. A larger body
 * is answered 413 with the JSON error at once, and the connection closed.
 */
public final class JsonBodyHandler implements Handler<RoutingContext> {
  private static final String BODY = JsonBodyHandler.class.getName();

  private final long limit;

  public JsonBodyHandler(long limit) {
    this.limit = limit;
  }

  /** The body read by this handler as UTF-8 text ({@code ""} when the request had none). */
  public static String text(RoutingContext ctx) {
    return bytes(ctx).toString(StandardCharsets.UTF_8);
  }

  /** The body read by this handler. */
  public static Buffer bytes(RoutingContext ctx) {
    Buffer body = ctx.get(BODY);
    return body == null ? Buffer.buffer() : body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    read(
        ctx.request(),
        limit,
        body -> {
          ctx.put(BODY, body);
          ctx.next();
        });
  }

  /**
   * Reads the body of {@code request}, with or without the router, and hands it whole to
   * {@code whole}; one over {@code limit} bytes is answered 413 instead.
   */
  static void read(HttpServerRequest request, long limit, Handler<Buffer> whole) {
    if (declaredLength(request) > limit) {
      tooLarge(request, limit);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(
        chunk -> {
          if (refused[0]) {
            return;
          }
          if (body.length() + chunk.length() > limit) {
            refused[0] = true;
            tooLarge(request, limit);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        end -> {
          if (!refused[0]) {
            whole.handle(body);
          }
        });
    request.resume();
  }

  private static void tooLarge(HttpServerRequest request, long limit) {
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    ApiReplies.error(
        request.response(),
        413,
        new ThingPushException(
            ErrorCode.LIMIT, "the request body is larger than " + limit + " bytes"));
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
