package io.thingpush.server.http;

import io.thingpush.server.publish.IdempotencyKeys;
import io.thingpush.server.publish.PlatformPublish;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/push/publish}: a platform hands in an already-formed event
 * ({@code code}, {@code device}, {@code payload}); see docs/publish-api.md.
 */
final class PublishHandler implements Handler<RoutingContext> {
  private final PlatformPublish publish;

  PublishHandler(PlatformPublish publish) {
    this.publish = publish;
  }

  /**
   * Answers once the log holds the event; the event loop never waits for it meanwhile. On one
   * node the log holds it when the dispatcher returns, and the answer is written at once.
   */
  @Override
  public void handle(RoutingContext ctx) {
    Context context = Vertx.currentContext();
    String body = JsonBodyHandler.text(ctx);
    publish
        .publish(
            "http",
            ctx.request().getHeader("Authorization"),
            ctx.request().getHeader(IdempotencyKeys.HEADER),
            body)
        .thenAccept(
            outcome -> {
              if (Vertx.currentContext() == context) {
                answer(ctx, outcome);
              } else {
                context.runOnContext(v -> answer(ctx, outcome));
              }
            });
  }

  private static void answer(RoutingContext ctx, PlatformPublish.Outcome outcome) {
    if (outcome.refusal() == null) {
      ApiReplies.send(ctx, 200, outcome.answerText());
    } else {
      ApiReplies.error(ctx, outcome.refusal());
    }
  }
}
