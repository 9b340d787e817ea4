package io.thingpush.server.http;

import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.publish.IdempotencyKeys;
import io.thingpush.server.publish.PlatformPublish;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/push/publish}: a platform hands in an already-formed event
 * ({@code code}, {@code device}, {@code payload}); see docs/publish-api.md. Taken straight from
 * the HTTP server, ahead of the router ({@link #takes}): the one request a platform sends at a high
 * rate pays for no routing context and no route matching.
 */
final class PublishHandler implements Handler<HttpServerRequest> {
  static final String PATH = "/api/v1/push/publish";
  private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);

  // Header names with their hash kept: looked up on every publish.
  private static final CharSequence IDEMPOTENCY_KEY =
      HttpHeaders.createOptimized(IdempotencyKeys.HEADER);

  private final PlatformPublish publish;
  private final long maxBodyBytes;

  PublishHandler(PlatformPublish publish, long maxBodyBytes) {
    this.publish = publish;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Whether {@code request} is a publish: the router's route for it has the same answer. */
  static boolean takes(HttpServerRequest request) {
    return request.method() == HttpMethod.POST && PATH.equals(request.path());
  }

  /**
   * Answers once the log holds the event; the event loop never waits for it meanwhile. On one
   * node the log holds it when the dispatcher returns, and the answer is written at once.
   */
  @Override
  public void handle(HttpServerRequest request) {
    JsonBodyHandler.read(
        request,
        maxBodyBytes,
        body -> {
          try {
            publish(request, body.toString(StandardCharsets.UTF_8));
          } catch (RuntimeException e) { // as the router answers a handler that failed
            LOG.error("POST {} failed", PATH, e);
            ApiReplies.error(
                request.response(), 500, new ThingPushException(ErrorCode.SYSTEM, null));
          }
        });
  }

  private void publish(HttpServerRequest request, String body) {
    Context context = Vertx.currentContext();
    publish
        .publish(
            "http",
            request.getHeader(HttpHeaders.AUTHORIZATION),
            request.getHeader(IDEMPOTENCY_KEY),
            body)
        .thenAccept(
            outcome -> {
              if (Vertx.currentContext() == context) {
                answer(request.response(), outcome);
              } else {
                context.runOnContext(v -> answer(request.response(), outcome));
              }
            });
  }

  private static void answer(HttpServerResponse response, PlatformPublish.Outcome outcome) {
    if (outcome.refusal() == null) {
      ApiReplies.send(response, 200, outcome.answerText());
    } else {
      ApiReplies.error(response, outcome.refusal());
    }
  }
}
