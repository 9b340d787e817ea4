package io.thingpush.server.http;

import io.thingpush.core.auth.Principal;
import io.thingpush.core.auth.TokenVerifier;
import io.thingpush.core.directory.Directory;
import io.thingpush.protocol.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The web console (docs/console.md): its page at {@code /console/} (from the jar), the chart
 * library from its WebJar, where the WebSocket listens, and the read-only registry view its
 * pickers need.
 */
public final class ConsoleApi {
  /** Classpath folder of the page; the JavaScript client is copied in at build time. */
  private static final String PAGE_ROOT = "thingpush-console";

  private static final String WEBJARS_ROOT = "META-INF/resources/webjars";

  private final TokenVerifier tokens;
  private final Predicate<Principal> platformAdmin;
  private final Supplier<Directory> directory;
  private final IntSupplier wsPort;
  private final String wsPath;

  /** {@code wsPort} is asked per request: the WebSocket port may be bound after this port. */
  public ConsoleApi(
      TokenVerifier tokens,
      Predicate<Principal> platformAdmin,
      Supplier<Directory> directory,
      IntSupplier wsPort,
      String wsPath) {
    this.tokens = tokens;
    this.platformAdmin = platformAdmin;
    this.directory = directory;
    this.wsPort = wsPort;
    this.wsPath = wsPath;
  }

  void mount(Router router) {
    // The route "/console" also matches "/console/": redirect only the bare path.
    router
        .get("/console")
        .handler(
            ctx -> {
              if (ctx.request().path().equals("/console")) {
                ctx.redirect("/console/");
              } else {
                ctx.next();
              }
            });
    router.get("/console/vendor/*").handler(StaticHandler.create(WEBJARS_ROOT));
    router.get("/console/*").handler(StaticHandler.create(PAGE_ROOT));
    router
        .get("/api/v1/console/config")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "application/json")
                    .end(
                        Json.text(
                            Json.object().put("wsPort", wsPort.getAsInt()).put("wsPath", wsPath))));
    router
        .get("/api/v1/console/registry")
        .handler(new ConsoleRegistryHandler(tokens, platformAdmin, directory));
  }
}
