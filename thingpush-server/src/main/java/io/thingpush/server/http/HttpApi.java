package io.thingpush.server.http;

import io.thingpush.core.device.ActionCalls;
import io.thingpush.core.device.PropertyControls;
import io.thingpush.server.config.PortTaken;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.http.admin.AdminApi;
import io.thingpush.server.net.EventLoopServers;
import io.thingpush.server.net.NativeTransport;
import io.thingpush.server.publish.PlatformPublish;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.time.Duration;

/**
 * The HTTP port: the platform publish API, device action calls and property controls, the admin API,
 * the web console. It is served on every event loop, so that publishes over many connections use
 * every core. Metrics and health have a port of their own ({@link ManagementApi}).
 */
public final class HttpApi implements AutoCloseable {
  private static final long MAX_BODY_BYTES = 1024 * 1024;

  private final EventLoopServers<HttpServer> servers;

  private HttpApi(EventLoopServers<HttpServer> servers) {
    this.servers = servers;
  }

  public static HttpApi start(
      Vertx vertx,
      ThingPushConfig config,
      PlatformPublish publish,
      DeviceRequesters requesters,
      ActionCalls actions,
      PropertyControls controls,
      AdminApi admin,
      ConsoleApi console) {
    Router router = Router.router(vertx);
    ApiReplies.answerErrorsAsJson(router);
    boolean cors = !config.http().corsAllowedOrigins().isEmpty();
    if (cors) {
      router.route().handler(new Cors(config.http().corsAllowedOrigins()));
    }
    PublishHandler publishes = new PublishHandler(publish, MAX_BODY_BYTES);
    // The push routes first: a request is matched against the routes in order, and the admin
    // API's many path patterns would each cost every publish a regular expression.
    router.post(PublishHandler.PATH).handler(ctx -> publishes.handle(ctx.request()));
    router
        .post("/api/v1/push/action")
        .handler(new JsonBodyHandler(MAX_BODY_BYTES))
        .handler(
            new ActionHandler(
                requesters, actions, Duration.ofMillis(config.mqtt().actionTimeoutMs())));
    router
        .post("/api/v1/push/control")
        .handler(new JsonBodyHandler(MAX_BODY_BYTES))
        .handler(
            new ControlHandler(
                requesters, controls, Duration.ofMillis(config.mqtt().actionTimeoutMs())));
    admin.mount(router);
    console.mount(router);
    // A publish skips the router, unless it has CORS headers to get: what a browser's request
    // (one with an Origin) asks of the router's first handler.
    Handler<HttpServerRequest> requests =
        request -> {
          if (PublishHandler.takes(request)
              && (!cors || request.getHeader(HttpHeaders.ORIGIN) == null)) {
            publishes.handle(request);
          } else {
            router.handle(request);
          }
        };
    ThingPushConfig.Http http = config.http();
    int port = EventLoopServers.shared(http.port());
    try {
      return new HttpApi(
          EventLoopServers.listen(
              vertx,
              NativeTransport.eventLoops(),
              () -> server(vertx, http, requests).listen(port, http.host())));
    } catch (Exception e) { // await() rethrows the bind failure as it is, checked or not
      throw PortTaken.orElse(e, "http.port", http.host(), http.port());
    }
  }

  /** An HTTP server of {@code requests} on the port of {@code option}, on one event loop. */
  static HttpServer listen(
      Vertx vertx,
      ThingPushConfig.Http http,
      Handler<HttpServerRequest> requests,
      String option,
      String host,
      int port) {
    try {
      return server(vertx, http, requests).listen(port, host).await();
    } catch (Exception e) { // await() rethrows the bind failure as it is, checked or not
      throw PortTaken.orElse(e, option, host, port);
    }
  }

  /**
   * An HTTP server of {@code requests} with the time-outs and limits of {@code http}: on HTTP/1.1
   * only, a client's cleartext HTTP/2 upgrade (the JDK client asks for one) is not taken; TLS and
   * HTTP/2 belong to the proxy in front. No WebSocket is served here, so no request is inspected
   * for WebSocket compression.
   */
  private static HttpServer server(
      Vertx vertx, ThingPushConfig.Http http, Handler<HttpServerRequest> requests) {
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHttp2ClearTextEnabled(false)
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setMaxInitialLineLength(http.maxRequestLineBytes())
                .setMaxHeaderSize(http.maxHeaderBytes()))
        .connectionHandler(connection -> RequestDeadlines.watch(connection, http))
        .requestHandler(requests);
  }

  public int port() {
    return servers.servers().get(0).actualPort();
  }

  @Override
  public void close() {
    servers.close();
  }
}
