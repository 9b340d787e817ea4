package io.thingpush.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import io.thingpush.core.device.ActionCalls;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.http.admin.AdminApi;
import io.thingpush.server.observe.Health;
import io.thingpush.server.observe.ServerMetrics;
import io.thingpush.server.publish.PlatformPublish;
import io.thingpush.server.publish.PublishKeys;
import io.thingpush.protocol.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP port: the platform publish API, device action calls, the admin API, the web console,
 * Prometheus metrics and health.
 */
public final class HttpApi implements AutoCloseable {
  private static final long MAX_BODY_BYTES = 1024 * 1024;

  private final HttpServer server;

  private HttpApi(HttpServer server) {
    this.server = server;
  }

  public static HttpApi start(
      Vertx vertx, ThingPushConfig config, PlatformPublish publish, ActionCalls actions, ServerMetrics metrics,
      AdminApi admin, Health health, ConsoleApi console) {
    Router router = Router.router(vertx);
    ApiReplies.answerErrorsAsJson(router);
    if (!config.http().corsAllowedOrigins().isEmpty()) {
      router.route().handler(new Cors(config.http().corsAllowedOrigins()));
    }
    admin.mount(router);
    router.post("/api/v1/push/publish")
        .handler(new JsonBodyHandler(MAX_BODY_BYTES))
        .handler(new PublishHandler(publish));
    PublishKeys keys = new PublishKeys(config.publish().keys());
    router.post("/api/v1/push/action")
        .handler(new JsonBodyHandler(MAX_BODY_BYTES))
        .handler(new ActionHandler(keys, actions, Duration.ofMillis(config.mqtt().actionTimeoutMs())));
    console.mount(router);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape()));
    router.get("/health").handler(HttpApi::live);
    router.get("/health/live").handler(HttpApi::live);
    router.get("/health/ready").handler(ctx -> {
      ObjectNode body = Json.object();
      boolean ready = health.ready();
      body.put("status", ready ? "UP" : "DOWN");
      ObjectNode checks = body.putObject("checks");
      health.readiness().forEach(checks::put);
      ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json").end(Json.text(body));
    });
    // HTTP/1.1 only: a client's cleartext HTTP/2 upgrade (the JDK client asks for one) is not
    // taken; TLS and HTTP/2 belong to the proxy in front.
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
            .setMaxInitialLineLength(config.http().maxRequestLineBytes())
            .setMaxHeaderSize(config.http().maxHeaderBytes()))
        .connectionHandler(connection -> RequestDeadlines.watch(connection, config.http()))
        .requestHandler(router)
        .listen(config.http().port(), config.http().host())
        .await();
    return new HttpApi(server);
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
