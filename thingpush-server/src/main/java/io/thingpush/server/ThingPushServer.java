package io.thingpush.server;

import io.thingpush.core.auth.Authoriser;
import io.thingpush.core.auth.ClaimNames;
import io.thingpush.core.auth.JwtTokenVerifier;
import io.thingpush.core.auth.TokenKeys;
import io.thingpush.core.auth.TokenVerifier;
import io.thingpush.core.auth.UserTokens;
import io.thingpush.core.cluster.LocalRegistryChanges;
import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.cluster.RegistryChanges;
import io.thingpush.core.device.ActionCalls;
import io.thingpush.core.device.DeviceMessages;
import io.thingpush.core.device.DevicePresence;
import io.thingpush.core.device.Downlink;
import io.thingpush.core.device.PropertyControls;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.feed.Feed;
import io.thingpush.core.filter.FilterCompiler;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.core.session.ConnectParams;
import io.thingpush.core.session.SessionContext;
import io.thingpush.core.session.SessionLimits;
import io.thingpush.core.session.Sessions;
import io.thingpush.core.thingmodel.ThingModels;
import io.thingpush.core.time.AlarmClock;
import io.thingpush.protocol.LogSafe;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.config.TokenKeyFiles;
import io.thingpush.server.http.ConsoleApi;
import io.thingpush.server.http.DeviceRequesters;
import io.thingpush.server.http.HttpApi;
import io.thingpush.server.http.ManagementApi;
import io.thingpush.server.http.admin.AdminApi;
import io.thingpush.server.mqtt.BrokerBridge;
import io.thingpush.server.mqtt.DeviceEndpoint;
import io.thingpush.server.nats.NatsBackplane;
import io.thingpush.server.nats.NatsPublishEndpoint;
import io.thingpush.server.net.NativeTransport;
import io.thingpush.server.observe.Health;
import io.thingpush.server.observe.LocalNode;
import io.thingpush.server.observe.ServerMetrics;
import io.thingpush.server.publish.PlatformPublish;
import io.thingpush.server.publish.PublishKeys;
import io.thingpush.server.registry.LiveDirectory;
import io.thingpush.server.registry.Registry;
import io.thingpush.server.simulate.Simulator;
import io.thingpush.server.ws.WsServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ThingPush node: wires the core to its adapters and runs until closed. The core is wired
 * the same whatever the mode; only the {@link Backplane} (embedded or NATS) differs.
 */
public final class ThingPushServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ThingPushServer.class);

  /** The demo registry, also the example of the registry file format. */
  public static final String DEMO_REGISTRY = "/registry/demo.json";

  private final Registry registry;
  private final LiveDirectory directory;
  private final ServerMetrics metrics;
  private final Backplane backplane;
  private final Dispatcher dispatcher;
  private final Feed feed;
  private final RegistryChanges changes;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "thingpush-scheduler");
            t.setDaemon(true);
            return t;
          });
  // One thread: a filter's type-check (hundreds of microseconds) never runs on a connection's
  // event loop, and all of them together take at most one core.
  private final ExecutorService filterCompiles =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "thingpush-filter-compiler");
            t.setDaemon(true);
            return t;
          });
  private final Vertx vertx;
  private final Services services = new Services();
  private final DevicePresence presence;
  private final DeviceEndpoint devices;
  private final BrokerBridge bridge;
  private final HttpApi http;
  private final ManagementApi management;
  private final WsServer ws;
  private final Health health = new Health();
  private volatile boolean listening;
  private volatile boolean closing;

  private ThingPushServer(ThingPushConfig config, AlarmClock clock) {
    TokenKeys tokenKeys = TokenKeyFiles.load(config.auth());
    this.registry = openRegistry(config);
    this.metrics = new ServerMetrics(config.management().tenantLabels());
    try {
      this.directory = new LiveDirectory(registry);
      this.backplane =
          config.cluster().enabled()
              ? NatsBackplane.connect(config, directory)
              : new EmbeddedBackplane(config, clock);
    } catch (RuntimeException e) {
      metrics.close();
      registry.close();
      throw e;
    }

    // The core, the same in every mode: the dispatcher appends, the feed takes the log to the hub.
    EventLog log = backplane.log();
    Hub hub = backplane.hub(scheduler);
    this.dispatcher = new Dispatcher(directory, log, metrics, clock);
    // What a registry change does on this node; in a cluster the feed runs it where the change is
    // in the log.
    LocalRegistryChanges hooks = new LocalRegistryChanges();
    this.feed =
        new Feed(
            log, log.head().toCompletableFuture().join(), backplane.latest(), hub, hooks::announce);
    this.changes = backplane.registryChanges(hooks, feed);
    ThingPushConfig.Claims c = config.auth().claims();
    TokenVerifier tokens =
        new UserTokens(
            new JwtTokenVerifier(
                tokenKeys,
                new ClaimNames(c.userID(), c.tenantCode(), c.isAdmin(), c.appCodes(), c.appCode()),
                !config.auth().allowTokensWithoutExp(),
                clock),
            directory);
    ConnectParams connectParams = new ConnectParams(Set.copyOf(config.connect().noProjectIds()));
    Authoriser authoriser = new Authoriser(directory);
    ThingPushConfig.Limits l = config.limits();
    SessionLimits sessionLimits =
        new SessionLimits(
            l.subscriptionsPerConnection(),
            l.messagesPerSecond(),
            l.messageBurst(),
            l.excessCloseMs(),
            config.ws().outboxFrames(),
            config.ws().outboxBytes());
    Sessions sessions =
        new Sessions(
            new SessionContext(
                tokens,
                authoriser,
                hub,
                log,
                backplane.latest(),
                directory,
                sessionLimits,
                connectParams,
                new FilterCompiler(),
                filterCompiles,
                clock),
            backplane.quota(),
            metrics);
    this.presence = new DevicePresence(dispatcher);
    directory.installWith(
        next -> {
          Directory before = directory.get();
          feed.applyBeforeNextEvent(
              () -> {
                directory.swapIn(next);
                sessions.recheckSubscriptions();
              });
          // Outside the feed's lock: presence appends events under its own lock, and the embedded
          // log feeds inside an append.
          presence.revokeLogins(before, next);
        });
    changes.onChange(directory::apply);
    feed.start();

    metrics.bind(hub, sessions);
    metrics.bind(presence);
    metrics.bind(feed);
    backplane.observe(metrics, health, feed);
    health.addReadinessCheck("registry", () -> directory.get() != null);
    health.addReadinessCheck("websocket", () -> listening);
    health.addReadinessCheck("running", () -> !closing);
    LocalNode localNode =
        new LocalNode(backplane.nodeName(), clock, sessions, hub, presence, metrics, scheduler);

    ThingModels models = new ThingModels();
    ActionCalls actions = new ActionCalls(directory, models, dispatcher, this::downlinkTo, clock);
    PropertyControls controls =
        new PropertyControls(directory, models, dispatcher, this::downlinkTo, clock);
    DeviceMessages messages = new DeviceMessages(directory, models, dispatcher, actions, controls);
    PublishKeys publishKeys = new PublishKeys(config.publish().keys());
    PlatformPublish platform = new PlatformPublish(publishKeys, dispatcher, metrics);
    AdminApi admin =
        new AdminApi(
            tokens, config.auth().platformAdmins(), registry, changes, backplane.nodes(localNode));
    ConsoleApi console =
        new ConsoleApi(tokens, admin::platformAdmin, directory, this::wsPort, config.ws().path());
    DeviceRequesters requesters = new DeviceRequesters(publishKeys, tokens, authoriser);

    // The services, started in this order and stopped in the reverse one: the WebSocket endpoint
    // drains what the sources sent after they stopped.
    this.vertx = NativeTransport.vertx();
    ThingPushConfig.Mqtt mqtt = config.mqtt();
    boolean demoMode = config.demo().enabled();
    try {
      this.management =
          services.start("management", () -> ManagementApi.start(vertx, config, metrics, health));
      this.ws =
          services.start(
              "websocket",
              () ->
                  WsServer.start(
                      config.ws(), sessions, connectParams, backplane.connectIds(), metrics));
      this.http =
          services.start(
              "http",
              () ->
                  HttpApi.start(
                      vertx, config, platform, requesters, actions, controls, admin, console));
      ThingPushConfig.PublishNats natsConfig = config.publish().nats();
      if (natsConfig.enabled()) {
        services.start(
            "nats publish",
            () -> NatsPublishEndpoint.start(natsConfig, backplane.nats(), platform));
      }
      this.bridge =
          mqtt.bridge().enabled()
              ? services.start(
                  "mqtt bridge", () -> BrokerBridge.start(vertx, mqtt, messages, metrics))
              : null;
      this.devices =
          mqtt.enabled()
              ? services.start(
                  "mqtt",
                  () ->
                      DeviceEndpoint.start(
                          vertx, mqtt, directory, presence, messages, metrics, demoMode))
              : null;
    } catch (RuntimeException e) {
      vertx.close().await();
      closeCore();
      throw e;
    }
    listening = true;
    // The demo's devices are simulated over real MQTT, through the embedded endpoint.
    if (demoMode && devices != null) {
      Simulator demo =
          services.start(
              "demo",
              () ->
                  Simulator.start(
                      vertx,
                      Simulator.devicesOf(directory.get(), models),
                      "127.0.0.1",
                      devices.port(),
                      config.demo().ticksPerSecond(),
                      Duration.ofMillis(config.demo().dropEveryMs())));
      demo.connectFailures()
          .forEach(f -> LOG.warn("demo device could not connect: {}", LogSafe.of(f)));
    }
    LOG.info(
        "ThingPush listening: WebSocket ws://{}:{}{}, HTTP http://{}:{}{}, metrics and health http://{}:{}",
        config.ws().host(),
        ws.port(),
        config.ws().path(),
        config.http().host(),
        http.port(),
        devices == null ? "" : ", MQTT " + mqtt.host() + ":" + devices.port(),
        config.management().host(),
        management.port());
  }

  /** The registry database, with the demo's registry and the configured import file in it. */
  private static Registry openRegistry(ThingPushConfig config) {
    ThingPushConfig.Registry db = config.registry();
    Registry registry = Registry.open(db);
    try {
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
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  /** The way to a device: its connection to this node, else the bridged broker. */
  private Downlink downlinkTo(String productId, String deviceName) {
    Downlink own = presence.to(productId, deviceName);
    return own != null || bridge == null ? own : bridge.to(productId, deviceName);
  }

  /** Starts a node and returns once both ports listen. */
  public static ThingPushServer start(ThingPushConfig config) {
    return start(config, AlarmClock.system());
  }

  /** Starts a server that decides by {@code clock} (token expiry, the message rate): tests move one by hand. */
  public static ThingPushServer start(ThingPushConfig config, AlarmClock clock) {
    return new ThingPushServer(config, clock);
  }

  public int wsPort() {
    return ws.port();
  }

  public int httpPort() {
    return http.port();
  }

  /** The port of metrics and health. */
  public int managementPort() {
    return management.port();
  }

  /** The port of the embedded MQTT device endpoint, or -1 when it is off. */
  public int mqttPort() {
    return devices == null ? -1 : devices.port();
  }

  /** The ingest path every event source feeds. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Liveness and readiness; a part that the node needs before it takes traffic adds its check here. */
  public Health health() {
    return health;
  }

  /** Imports a registry file and makes it live at once here, and soon on every other node. */
  public void importRegistry(Path file) {
    registry.importFile(file);
    changes.announce(RegistryChange.ALL);
  }

  /**
   * The registry database was changed behind this node's back (e.g. by {@code thingpush
   * import}): re-read it, end the subscriptions no longer allowed, and place devices anew from
   * the next event on. Changes made through a node are announced to the others by
   * {@link #registryChanges()}.
   */
  public void registryChanged() {
    directory.apply(RegistryChange.ALL);
  }

  /** Where registry changes are announced to every node; hooks run on each after a change. */
  public RegistryChanges registryChanges() {
    return changes;
  }

  /**
   * Stops the node gracefully: no more publishes or connections, each connection takes what is
   * queued for it and is closed with 4009 (reconnect elsewhere), then NATS and the rest close.
   */
  @Override
  public void close() {
    closing = true;
    services.close();
    vertx.close().await();
    closeCore();
  }

  /** What the services left running: the feed, the backplane, the scheduler, metrics and the registry. */
  private void closeCore() {
    feed.close();
    backplane.close();
    scheduler.shutdownNow();
    filterCompiles.shutdownNow();
    metrics.close();
    registry.close();
  }
}
