package io.thingpush.server.config;

import java.util.List;
import java.util.Map;

/**
 * The whole configuration, immutable. Defaults and the meaning of every option are in
 * {@code thingpush-defaults.yaml} (printed by {@code thingpush config}).
 */
public record ThingPushConfig(
    Ws ws,
    Connect connect,
    Http http,
    Auth auth,
    Limits limits,
    Publish publish,
    Registry registry,
    History history,
    Cluster cluster,
    Demo demo,
    Mqtt mqtt,
    Management management,
    Log log) {

  public record Ws(
      String host,
      int port,
      String path,
      int maxMessageBytes,
      long pingIntervalMs,
      int pingMisses,
      int outboxFrames,
      long outboxBytes,
      long drainMs,
      boolean compression,
      long handshakeTimeoutMs,
      int maxRequestLineBytes,
      int maxHeaderBytes) {}

  /** How connect parameters are read; {@code noProjectIds} are project ids that mean "no project". */
  public record Connect(List<String> noProjectIds) {}

  public record Http(
      String host,
      int port,
      List<String> corsAllowedOrigins,
      long headersTimeoutMs,
      long bodyTimeoutMs,
      long idleTimeoutMs,
      int maxRequestLineBytes,
      int maxHeaderBytes) {}

  /** Metrics and health, on a port of their own for the operator's scraper and probes. */
  public record Management(String host, int port, boolean tenantLabels) {}

  public record Auth(
      String hs256Secret,
      String previousHs256Secret,
      List<PublicKeyFile> publicKeys,
      String jwksFile,
      List<PlatformAdmin> platformAdmins,
      Claims claims,
      boolean allowTokensWithoutExp) {}

  /** The claim names tried, in order, for each claim a token carries. */
  public record Claims(
      List<String> userID,
      List<String> tenantCode,
      List<String> isAdmin,
      List<String> appCodes,
      List<String> appCode) {}

  /** A user who manages tenants and every tenant's registry through the admin API. */
  public record PlatformAdmin(String tenant, String userID) {}

  /** An RS256/ES256 public key in a PEM file; {@code kid} null matches tokens without one. */
  public record PublicKeyFile(String kid, String file) {}

  public record Limits(
      int subscriptionsPerConnection,
      int connectionsPerUser,
      int connectionsPerTenant,
      int messagesPerSecond,
      int messageBurst,
      long excessCloseMs) {}

  public record Publish(List<PublishKey> keys, PublishNats nats) {}

  /** A publish API credential; {@code tenant} null allows every tenant. */
  public record PublishKey(String key, String tenant) {}

  /** The publish API over NATS; {@code url} empty means the cluster's own connection. */
  public record PublishNats(boolean enabled, String url, String subject, String queueGroup) {
    /** Whether the node connects to {@code url} itself rather than using its cluster connection. */
    public boolean ownConnection() {
      return url != null && !url.isBlank();
    }
  }

  public record Registry(
      String jdbcUrl,
      String username,
      String password,
      int poolSize,
      long connectTimeoutMs,
      String importFile) {}

  /**
   * The event log's bounds, and how long (and, on one node, for how many events) it remembers
   * the idempotency key of a publish to drop a repeat.
   */
  public record History(
      int maxEvents, long maxAgeMs, long idempotencyWindowMs, int idempotencyMaxKeys) {}

  public record Cluster(
      String natsUrl,
      String name,
      int replicas,
      long publishTimeoutMs,
      long interestCloseDelayMs,
      long leaseMs) {
    /** Cluster mode: NATS carries events, history, snapshot values, limits and registry changes. */
    public boolean enabled() {
      return natsUrl != null && !natsUrl.isBlank();
    }
  }

  public record Demo(boolean enabled, double ticksPerSecond, long dropEveryMs) {}

  /** The embedded MQTT device endpoint, action calls, and the bridge from a broker. */
  public record Mqtt(
      boolean enabled,
      String host,
      int port,
      int maxMessageBytes,
      long connectTimeoutMs,
      long actionTimeoutMs,
      Bridge bridge) {}

  /** A connection to an existing broker whose device topics ThingPush consumes. */
  public record Bridge(
      boolean enabled,
      String host,
      int port,
      String clientId,
      String username,
      String password,
      String shareGroup,
      int maxInflight,
      int maxWaiting,
      long ackTimeoutMs) {}

  /** The log lines of the node: {@code format} {@code text} or {@code json}, {@code level} of the root logger. */
  public record Log(String format, String level) {}

  /** Reads a YAML text over the defaults, then the {@code THINGPUSH_*} variables of {@code env}. */
  public static ThingPushConfig parse(String yaml, Map<String, String> env) {
    return ConfigLoader.load(yaml, env);
  }

  /** The defaults file, with a comment on every option. */
  public static String defaultsYaml() {
    return ConfigLoader.defaultsText();
  }

  /** A copy with the demo switched on. */
  public ThingPushConfig withDemo() {
    return new ThingPushConfig(
        ws,
        connect,
        http,
        auth,
        limits,
        publish,
        registry,
        history,
        cluster,
        new Demo(true, demo.ticksPerSecond(), demo.dropEveryMs()),
        mqtt,
        management,
        log);
  }

  /** A copy with another HS256 secret. */
  public ThingPushConfig withSecret(String secret) {
    Auth a =
        new Auth(
            secret,
            auth.previousHs256Secret(),
            auth.publicKeys(),
            auth.jwksFile(),
            auth.platformAdmins(),
            auth.claims(),
            auth.allowTokensWithoutExp());
    return new ThingPushConfig(
        ws,
        connect,
        http,
        a,
        limits,
        publish,
        registry,
        history,
        cluster,
        demo,
        mqtt,
        management,
        log);
  }

  /** A copy with one more platform admin. */
  public ThingPushConfig withPlatformAdmin(PlatformAdmin admin) {
    List<PlatformAdmin> admins = new java.util.ArrayList<>(auth.platformAdmins());
    admins.add(admin);
    Auth a =
        new Auth(
            auth.hs256Secret(),
            auth.previousHs256Secret(),
            auth.publicKeys(),
            auth.jwksFile(),
            List.copyOf(admins),
            auth.claims(),
            auth.allowTokensWithoutExp());
    return new ThingPushConfig(
        ws,
        connect,
        http,
        a,
        limits,
        publish,
        registry,
        history,
        cluster,
        demo,
        mqtt,
        management,
        log);
  }

  /** A copy with one more publish API key. */
  public ThingPushConfig withPublishKey(PublishKey key) {
    List<PublishKey> keys = new java.util.ArrayList<>(publish.keys());
    keys.add(key);
    Publish p = new Publish(List.copyOf(keys), publish.nats());
    return new ThingPushConfig(
        ws,
        connect,
        http,
        auth,
        limits,
        p,
        registry,
        history,
        cluster,
        demo,
        mqtt,
        management,
        log);
  }

  /** A copy that imports {@code file} at start. */
  public ThingPushConfig withImportFile(String file) {
    Registry r = registry;
    return new ThingPushConfig(
        ws,
        connect,
        http,
        auth,
        limits,
        publish,
        new Registry(
            r.jdbcUrl(), r.username(), r.password(), r.poolSize(), r.connectTimeoutMs(), file),
        history,
        cluster,
        demo,
        mqtt,
        management,
        log);
  }
}
