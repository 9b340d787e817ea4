package io.thingpush.server;

import io.thingpush.core.auth.Authoriser;
import io.thingpush.core.auth.ClaimNames;
import io.thingpush.core.auth.JwtTokenVerifier;
import io.thingpush.core.auth.TokenVerifier;
import io.thingpush.core.auth.UserTokens;
import io.thingpush.core.auth.TokenKeys;
import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.cluster.Interests;
import io.thingpush.core.cluster.LocalRegistryChanges;
import io.thingpush.core.cluster.RegistryChanges;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.InMemoryEventLog;
import io.thingpush.core.events.LatestStore;
import io.thingpush.core.events.LatestValues;
import io.thingpush.core.events.RepeatWindow;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.feed.Feed;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.core.session.ConnectParams;
import io.thingpush.core.session.ConnectionQuota;
import io.thingpush.core.session.LocalConnectionQuota;
import io.thingpush.core.session.SessionContext;
import io.thingpush.core.session.SessionLimits;
import io.thingpush.core.session.Sessions;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.config.TokenKeyFiles;
import io.thingpush.server.http.ConsoleApi;
import io.thingpush.server.http.DeviceRequesters;
import io.thingpush.server.http.HttpApi;
import io.thingpush.protocol.LogSafe;
import io.thingpush.server.http.ManagementApi;
import io.thingpush.server.http.admin.AdminApi;
import io.thingpush.server.nats.ClusterConnectionQuota;
import io.thingpush.server.nats.JetStreamEventLog;
import io.thingpush.server.nats.KvLatestStore;
import io.thingpush.server.nats.NatsCluster;
import io.thingpush.server.nats.NatsNodes;
import io.thingpush.server.nats.NatsPublishEndpoint;
import io.thingpush.server.nats.NatsRegistryChanges;
import io.thingpush.server.nats.NodeNumber;
import io.thingpush.server.nats.WatchedKeys;
import io.thingpush.server.observe.Health;
import io.thingpush.server.observe.LocalNode;
import io.thingpush.server.observe.Nodes;
import io.thingpush.server.observe.ServerMetrics;
import io.thingpush.server.publish.PlatformPublish;
import io.thingpush.server.publish.PublishKeys;
import io.thingpush.server.registry.LiveDirectory;
import io.thingpush.server.registry.Registry;
import io.thingpush.server.ws.WsServer;
import io.thingpush.core.device.ActionCalls;
import io.thingpush.core.device.DeviceMessages;
import io.thingpush.core.device.DevicePresence;
import io.thingpush.core.device.PropertyControls;
import io.thingpush.core.device.Downlink;
import io.thingpush.core.thingmodel.ThingModels;
import io.thingpush.server.mqtt.BrokerBridge;
import io.thingpush.server.mqtt.DeviceEndpoint;
import io.thingpush.server.simulate.Simulator;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One ThingPush node: wires the core to its adapters and runs until closed. */
public final class ThingPushServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ThingPushServer.class);
  /** The demo registry, also the example of the registry file format. */
  public static final String DEMO_REGISTRY = "/registry/demo.json";
  /** How often one demo device loses its connection (and comes back), so deviceConn shows. */
  private static final Duration DEMO_DROP_EVERY = Duration.ofSeconds(10);

  private final Registry registry;
  private final AtomicReference<Directory> directory;
  private final Dispatcher dispatcher;
  private final Hub hub;
  private final NatsCluster nats;
  private final Feed feed;
  private final RegistryChanges changes;
  private final LiveDirectory live;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "thingpush-scheduler");
    t.setDaemon(true);
    return t;
  });
  private final Vertx vertx;
  private final DevicePresence presence;
  private final DeviceEndpoint devices;
  private final BrokerBridge bridge;
  private final NatsPublishEndpoint natsPublish;
  private final HttpApi http;
  private final ManagementApi management;
  private final WsServer ws;
  private final Simulator demo;
  private final Health health = new Health();
  private volatile boolean listening;
  private volatile boolean closing;

  private ThingPushServer(ThingPushConfig config) {
    TokenKeys tokenKeys = TokenKeyFiles.load(config.auth());
    Clock clock = Clock.systemUTC();
    ThingPushConfig.Registry db = config.registry();
    this.registry = Registry.open(db);
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
    ServerMetrics metrics = new ServerMetrics(config.management().tenantLabels());
    closeables.add(metrics);
    ThingPushConfig.Limits l = config.limits();
    EventLog log;
    LatestStore latest;
    ConnectionQuota quota;
    LongSupplier connectIds;
    String nodeName = "local";
    WatchedKeys watched = null;
    JetStreamEventLog streamLog = null;
    if (config.cluster().enabled()) {
      try {
        this.nats = NatsCluster.connect(config.cluster(), config.history());
      } catch (RuntimeException e) {
        metrics.close();
        registry.close();
        throw e;
      }
      watched = new WatchedKeys();
      streamLog = new JetStreamEventLog(nats, directory::get, watched);
      this.hub = new Hub(new Interests(watched, scheduler, config.cluster().interestCloseDelayMs()));
      long node = NodeNumber.take(nats);
      nodeName = "n" + node;
      KvLatestStore shared = new KvLatestStore(nats, streamLog);
      ClusterConnectionQuota clusterQuota =
          new ClusterConnectionQuota(nats, "n" + node, l.connectionsPerUser(), l.connectionsPerTenant());
      closeables.addAll(List.of(shared, clusterQuota));
      log = streamLog;
      latest = shared;
      quota = clusterQuota;
      connectIds = new AtomicLong(node * NodeNumber.CONNECT_IDS_PER_NODE)::incrementAndGet;
      LOG.info("cluster node {}", node);
    } else {
      this.nats = null;
      this.hub = new Hub();
      ThingPushConfig.History h = config.history();
      InMemoryEventLog memoryLog = new InMemoryEventLog(h.maxEvents(), h.maxAgeMs(), clock,
          InMemoryEventLog.firstSeqAt(clock), new RepeatWindow(h.idempotencyMaxKeys(), h.idempotencyWindowMs()));
      LatestValues memoryLatest = new LatestValues();
      log = memoryLog;
      latest = memoryLatest;
      quota = new LocalConnectionQuota(l.connectionsPerUser(), l.connectionsPerTenant());
      // Counted from the start time like seqs, so a restarted node never gives an earlier run's ids again.
      connectIds = new AtomicLong(clock.millis() * 1000)::incrementAndGet;
    }
    this.dispatcher = new Dispatcher(directory::get, log, metrics, clock);
    // What a registry change does on this node; in a cluster the feed runs it where the change is in the log.
    LocalRegistryChanges hooks = new LocalRegistryChanges();
    this.feed = new Feed(log, log.head().toCompletableFuture().join(), latest, hub, hooks::announce);
    closeables.add(feed);
    if (nats != null) {
      this.changes = new NatsRegistryChanges(nats, streamLog, hooks, feed);
      metrics.bindCluster(feed, watched);
    } else {
      this.changes = hooks;
    }
    ThingPushConfig.Claims c = config.auth().claims();
    TokenVerifier tokens = new UserTokens(new JwtTokenVerifier(tokenKeys,
        new ClaimNames(c.userID(), c.tenantCode(), c.isAdmin(), c.appCodes(), c.appCode()),
        !config.auth().allowTokensWithoutExp(), clock), directory::get);
    ConnectParams connectParams = new ConnectParams(Set.copyOf(config.connect().noProjectIds()));
    Authoriser authoriser = new Authoriser(directory::get);
    SessionLimits sessionLimits = new SessionLimits(l.subscriptionsPerConnection(), l.messagesPerSecond(),
        l.messageBurst(), l.excessCloseMs(), config.ws().outboxFrames(), config.ws().outboxBytes());
    Sessions sessions = new Sessions(
        new SessionContext(tokens, authoriser, hub, log, latest, directory::get, sessionLimits, connectParams, clock),
        quota,
        metrics);
    metrics.bind(hub, sessions);
    this.presence = new DevicePresence(dispatcher);
    metrics.bind(presence);
    LocalNode localNode = new LocalNode(nodeName, clock, sessions, hub, presence, metrics, scheduler);
    Nodes nodes = localNode;
    if (nats != null) {
      NatsNodes natsNodes = new NatsNodes(nats, localNode);
      closeables.add(natsNodes);
      nodes = natsNodes;
    }
    this.live = new LiveDirectory(registry, directory::get, next -> {
      Directory before = directory.get();
      feed.applyBeforeNextEvent(() -> {
        directory.set(next);
        sessions.recheckSubscriptions();
      });
      // Outside the feed's lock: presence appends events under its own lock, and the embedded log feeds inside an append.
      presence.revokeLogins(before, next);
    });
    changes.onChange(live::apply);
    feed.start();
    health.addReadinessCheck("registry", () -> directory.get() != null);
    health.addReadinessCheck("websocket", () -> listening);
    health.addReadinessCheck("running", () -> !closing);
    if (nats != null) {
      health.addReadinessCheck("nats", nats::connected);
    }
    this.vertx = Vertx.vertx();
    ThingModels models = new ThingModels();
    ActionCalls actions = new ActionCalls(directory::get, models, dispatcher, this::downlinkTo, clock);
    PropertyControls controls = new PropertyControls(directory::get, models, dispatcher, this::downlinkTo, clock);
    DeviceMessages messages = new DeviceMessages(directory::get, models, dispatcher, actions, controls);
    ThingPushConfig.Mqtt mqtt = config.mqtt();
    boolean demoMode = config.demo().enabled();
    PublishKeys publishKeys = new PublishKeys(config.publish().keys());
    PlatformPublish platform = new PlatformPublish(publishKeys, dispatcher, metrics);
    // What listens so far, closed again (last first) when a later part cannot start.
    List<AutoCloseable> started = new ArrayList<>();
    DeviceEndpoint endpoint = null;
    BrokerBridge broker = null;
    NatsPublishEndpoint natsEndpoint = null;
    HttpApi httpApi;
    ManagementApi managementApi;
    WsServer wsServer;
    try {
      endpoint = mqtt.enabled()
          ? add(started, DeviceEndpoint.start(vertx, mqtt, directory::get, presence, messages, metrics, demoMode))
          : null;
      broker = mqtt.bridge().enabled() ? add(started, BrokerBridge.start(vertx, mqtt, messages, metrics)) : null;
      ThingPushConfig.PublishNats natsConfig = config.publish().nats();
      natsEndpoint = natsConfig.enabled() ? add(started, NatsPublishEndpoint.start(natsConfig, nats, platform)) : null;
      AdminApi admin = new AdminApi(tokens, config.auth().platformAdmins(), registry, changes, nodes);
      ConsoleApi console = new ConsoleApi(tokens, admin::platformAdmin, directory::get, this::wsPort, config.ws().path());
      DeviceRequesters requesters = new DeviceRequesters(publishKeys, tokens, authoriser);
      httpApi = add(started, HttpApi.start(vertx, config, platform, requesters, actions, controls, admin, console));
      managementApi = add(started, ManagementApi.start(vertx, config, metrics, health));
      wsServer = WsServer.start(config.ws(), sessions, connectParams, connectIds, metrics);
    } catch (RuntimeException e) {
      Collections.reverse(started);
      started.forEach(ThingPushServer::closeQuietly);
      vertx.close().await();
      closeables.forEach(ThingPushServer::closeQuietly);
      if (nats != null) {
        nats.close();
      }
      scheduler.shutdownNow();
      registry.close();
      throw e;
    }
    this.devices = endpoint;
    this.bridge = broker;
    this.natsPublish = natsEndpoint;
    this.http = httpApi;
    this.management = managementApi;
    this.ws = wsServer;
    listening = true;
    // The demo's devices are simulated over real MQTT, through the embedded endpoint.
    this.demo = demoMode && devices != null ? Simulator.start(vertx, Simulator.devicesOf(directory.get(), models),
        "127.0.0.1", devices.port(), config.demo().ticksPerSecond(), DEMO_DROP_EVERY) : null;
    if (demo != null) {
      demo.connectFailures().forEach(f -> LOG.warn("demo device could not connect: {}", LogSafe.of(f)));
    }
    LOG.info("ThingPush listening: WebSocket ws://{}:{}{}, HTTP http://{}:{}{}, metrics and health http://{}:{}",
        config.ws().host(), ws.port(), config.ws().path(), config.http().host(), http.port(),
        devices == null ? "" : ", MQTT " + mqtt.host() + ":" + devices.port(), config.management().host(),
        management.port());
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> started, T part) {
    started.add(part);
    return part;
  }

  private static void closeQuietly(AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed", part, e);
    }
  }

  /** The way to a device: its connection to this node, else the bridged broker. */
  private Downlink downlinkTo(String productId, String deviceName) {
    Downlink own = presence.to(productId, deviceName);
    return own != null || bridge == null ? own : bridge.to(productId, deviceName);
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
    live.apply(RegistryChange.ALL);
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
    if (demo != null) {
      demo.close();
    }
    if (bridge != null) {
      bridge.close();
    }
    if (natsPublish != null) {
      natsPublish.close();
    }
    if (devices != null) {
      devices.close();
    }
    http.close();
    ws.close();
    management.close();
    closeables.forEach(ThingPushServer::closeQuietly);
    if (nats != null) {
      nats.close();
    }
    scheduler.shutdownNow();
    vertx.close().await();
    registry.close();
  }
}
