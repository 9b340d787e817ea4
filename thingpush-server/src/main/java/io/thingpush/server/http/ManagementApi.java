package io.thingpush.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.observe.Health;
import io.thingpush.server.observe.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The management port: Prometheus metrics and the health probes, apart from the public APIs so
 * that what the metrics say of the node and its tenants reaches only the operator's scraper.
 */
public final class ManagementApi implements AutoCloseable {
  private final HttpServer server;

  private ManagementApi(HttpServer server) {
    this.server = server;
  }

  public static ManagementApi start(
      Vertx vertx, ThingPushConfig config, ServerMetrics metrics, Health health) {
    Router router = Router.router(vertx);
    ApiReplies.answerErrorsAsJson(router);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    router.get("/health").handler(ManagementApi::live);
    router.get("/health/live").handler(ManagementApi::live);
    router
        .get("/health/ready")
        .handler(
            ctx -> {
              ObjectNode body = Json.object();
              boolean ready = health.ready();
              body.put("status", ready ? "UP" : "DOWN");
              ObjectNode checks = body.putObject("checks");
              health.readiness().forEach(checks::put);
              ctx.response()
                  .setStatusCode(ready ? 200 : 503)
                  .putHeader("content-type", "application/json")
                  .end(Json.text(body));
            });
    ThingPushConfig.Management management = config.management();
    return new ManagementApi(
        HttpApi.listen(
            vertx, config.http(), router, "management.port", management.host(), management.port()));
  }

  /** The process answers: alive, whatever its readiness. */
  private static void live(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
