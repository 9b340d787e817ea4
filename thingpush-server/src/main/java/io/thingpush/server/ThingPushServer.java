package io.thingpush.server;

import io.thingpush.core.auth.Authoriser;
import io.thingpush.core.auth.JwtTokenVerifier;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.InMemoryEventLog;
import io.thingpush.core.events.LatestValues;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.core.session.LocalConnectionQuota;
import io.thingpush.core.session.SessionLimits;
import io.thingpush.core.session.Sessions;
import io.thingpush.server.config.ConfigException;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.http.HttpApi;
import io.thingpush.server.observe.ServerMetrics;
import io.thingpush.server.registry.Registry;
import io.thingpush.server.ws.WsServer;
import io.vertx.core.Vertx;
import io.thingpush.server.demo.DemoEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One ThingPush node: wires the core to its adapters and runs until closed. */
public final class ThingPushServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ThingPushServer.class);
  /** The demo registry, also the example of the registry file format. */
  public static final String DEMO_REGISTRY = "/registry/demo.json";

  private final Registry registry;
  private final AtomicReference<Directory> directory;
  private final Dispatcher dispatcher;
  private final Vertx vertx;
  private final HttpApi http;
  private final WsServer ws;
  private final DemoEvents demo;

  private ThingPushServer(ThingPushConfig config) {
    String secret = config.auth().hs256Secret();
    if (secret == null || secret.isEmpty()) {
      throw new ConfigException("auth.hs256Secret: required (or run `serve --demo`)");
    }
    Clock clock = Clock.systemUTC();
    ThingPushConfig.Registry db = config.registry();
    this.registry = Registry.open(db.jdbcUrl(), db.username(), db.password(), db.poolSize());
    if (config.demo().enabled()) {
      try (InputStream demo = ThingPushServer.class.getResourceAsStream(DEMO_REGISTRY)) {
        registry.importJson(demo);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (db.importFile() != null) {
      registry.importFile(Path.of(db.importFile()));
    }
    this.directory = new AtomicReference<>(registry.load());
    ServerMetrics metrics = new ServerMetrics();
    Hub hub = new Hub();
    InMemoryEventLog log = new InMemoryEventLog(config.history().maxEvents(), config.history().maxAgeMs(), clock);
    LatestValues latest = new LatestValues();
    this.dispatcher = new Dispatcher(directory::get, log, event -> {
      latest.record(event);
      hub.publish(event);
    }, metrics, clock);
    ThingPushConfig.Limits l = config.limits();
    Sessions sessions = new Sessions(
        new JwtTokenVerifier(secret, clock),
        new Authoriser(directory::get),
        hub,
        log,
        latest,
        directory::get,
        new LocalConnectionQuota(l.connectionsPerUser(), l.connectionsPerTenant()),
        new SessionLimits(l.subscriptionsPerConnection(), l.messagesPerSecond(), l.messageBurst(),
            l.excessCloseMs(), config.ws().outboxFrames(), config.ws().outboxBytes()),
        metrics,
        clock);
    metrics.bind(hub, sessions);
    this.vertx = Vertx.vertx();
    this.http = HttpApi.start(vertx, config, dispatcher, metrics);
    this.ws = WsServer.start(config.ws(), sessions);
    this.demo = config.demo().enabled() ? new DemoEvents(directory::get, dispatcher) : null;
    if (demo != null) {
      demo.start(config.demo().ticksPerSecond());
    }
    LOG.info("ThingPush listening: WebSocket ws://{}:{}{}, HTTP http://{}:{}", config.ws().host(), ws.port(),
        config.ws().path(), config.http().host(), http.port());
  }

  /** Starts a node and returns once both ports listen. */
  public static ThingPushServer start(ThingPushConfig config) {
    return new ThingPushServer(config);
  }

  public int wsPort() {
    return ws.port();
  }

  public int httpPort() {
    return http.port();
  }

  /** The ingest path every event source feeds. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Imports a registry file and makes it live at once. */
  public void importRegistry(Path file) {
    registry.importFile(file);
    directory.set(registry.load());
  }

  @Override
  public void close() {
    if (demo != null) {
      demo.close();
    }
    ws.close();
    http.close();
    vertx.close().await();
    registry.close();
  }
}
