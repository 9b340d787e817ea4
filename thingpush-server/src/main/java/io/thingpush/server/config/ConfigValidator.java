package io.thingpush.server.config;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Range checks that the types alone do not make; each failure names the option. */
final class ConfigValidator {
  private ConfigValidator() {}

  static void validate(ThingPushConfig c) {
    port("ws.port", c.ws().port());
    port("http.port", c.http().port());
    port("management.port", c.management().port());
    corsOrigins(c.http().corsAllowedOrigins());
    positive("ws.maxMessageBytes", c.ws().maxMessageBytes());
    positive("ws.pingIntervalMs", c.ws().pingIntervalMs());
    positive("ws.pingMisses", c.ws().pingMisses());
    positive("ws.outboxFrames", c.ws().outboxFrames());
    positive("ws.outboxBytes", c.ws().outboxBytes());
    positive("ws.drainMs", c.ws().drainMs());
    positive("ws.handshakeTimeoutMs", c.ws().handshakeTimeoutMs());
    positive("http.headersTimeoutMs", c.http().headersTimeoutMs());
    positive("http.bodyTimeoutMs", c.http().bodyTimeoutMs());
    positive("http.idleTimeoutMs", c.http().idleTimeoutMs());
    positive("ws.maxRequestLineBytes", c.ws().maxRequestLineBytes());
    positive("ws.maxHeaderBytes", c.ws().maxHeaderBytes());
    positive("http.maxRequestLineBytes", c.http().maxRequestLineBytes());
    positive("http.maxHeaderBytes", c.http().maxHeaderBytes());
    if (!c.ws().path().startsWith("/")) {
      throw new ConfigException("ws.path: must start with /");
    }
    secret("auth.hs256Secret", c.auth().hs256Secret());
    secret("auth.previousHs256Secret", c.auth().previousHs256Secret());
    for (int i = 0; i < c.auth().publicKeys().size(); i++) {
      String file = c.auth().publicKeys().get(i).file();
      if (file == null || file.isEmpty()) {
        throw new ConfigException("auth.publicKeys[" + i + "].file: required");
      }
    }
    for (int i = 0; i < c.auth().platformAdmins().size(); i++) {
      ThingPushConfig.PlatformAdmin admin = c.auth().platformAdmins().get(i);
      if (admin.tenant() == null
          || admin.tenant().isEmpty()
          || admin.userID() == null
          || admin.userID().isEmpty()) {
        throw new ConfigException("auth.platformAdmins[" + i + "]: tenant and userID are required");
      }
    }
    ThingPushConfig.Claims claims = c.auth().claims();
    names("auth.claims.userID", claims.userID());
    names("auth.claims.tenantCode", claims.tenantCode());
    names("auth.claims.isAdmin", claims.isAdmin());
    names("auth.claims.appCodes", claims.appCodes());
    names("auth.claims.appCode", claims.appCode());
    for (int i = 0; i < c.connect().noProjectIds().size(); i++) {
      String id = c.connect().noProjectIds().get(i);
      if (id == null || id.isEmpty()) {
        throw new ConfigException("connect.noProjectIds[" + i + "]: must not be empty");
      }
    }
    positive("limits.subscriptionsPerConnection", c.limits().subscriptionsPerConnection());
    positive("limits.connectionsPerUser", c.limits().connectionsPerUser());
    positive("limits.connectionsPerTenant", c.limits().connectionsPerTenant());
    positive("limits.messagesPerSecond", c.limits().messagesPerSecond());
    positive("limits.messageBurst", c.limits().messageBurst());
    positive("limits.excessCloseMs", c.limits().excessCloseMs());
    for (int i = 0; i < c.publish().keys().size(); i++) {
      ThingPushConfig.PublishKey key = c.publish().keys().get(i);
      if (key.key() == null || key.key().length() < 8) {
        throw new ConfigException("publish.keys[" + i + "].key: must be at least 8 characters");
      }
    }
    publishNats(c.publish().nats(), c.cluster());
    positive("registry.poolSize", c.registry().poolSize());
    positive("registry.connectTimeoutMs", c.registry().connectTimeoutMs());
    positive("history.maxEvents", c.history().maxEvents());
    positive("history.maxAgeMs", c.history().maxAgeMs());
    positive("history.idempotencyWindowMs", c.history().idempotencyWindowMs());
    positive("history.idempotencyMaxKeys", c.history().idempotencyMaxKeys());
    // JetStream refuses a stream whose duplicate window is longer than its messages are kept.
    if (c.history().idempotencyWindowMs() > c.history().maxAgeMs()) {
      throw new ConfigException(
          "history.idempotencyWindowMs: must not be greater than history.maxAgeMs");
    }
    ThingPushConfig.Cluster cluster = c.cluster();
    if (cluster.name() == null || !cluster.name().matches("[A-Za-z0-9_-]{1,32}")) {
      throw new ConfigException("cluster.name: must be 1 to 32 letters, digits, - or _");
    }
    if (cluster.replicas() < 1 || cluster.replicas() > 5) {
      throw new ConfigException("cluster.replicas: must be from 1 to 5");
    }
    positive("cluster.publishTimeoutMs", cluster.publishTimeoutMs());
    positive("cluster.interestCloseDelayMs", cluster.interestCloseDelayMs());
    if (cluster.leaseMs() < 1000) {
      throw new ConfigException("cluster.leaseMs: must be at least 1000");
    }
    port("mqtt.port", c.mqtt().port());
    positive("mqtt.maxMessageBytes", c.mqtt().maxMessageBytes());
    positive("mqtt.connectTimeoutMs", c.mqtt().connectTimeoutMs());
    positive("mqtt.actionTimeoutMs", c.mqtt().actionTimeoutMs());
    ThingPushConfig.Bridge bridge = c.mqtt().bridge();
    port("mqtt.bridge.port", bridge.port());
    if (bridge.enabled() && (bridge.host() == null || bridge.host().isBlank())) {
      throw new ConfigException("mqtt.bridge.host: required when the bridge is enabled");
    }
    if (bridge.shareGroup() != null && !bridge.shareGroup().matches("[A-Za-z0-9_.-]*")) {
      throw new ConfigException(
          "mqtt.bridge.shareGroup: may only contain letters, digits and _ . -");
    }
    if (bridge.maxInflight() < 1 || bridge.maxInflight() > 65535) {
      throw new ConfigException("mqtt.bridge.maxInflight: must be from 1 to 65535");
    }
    if (bridge.maxWaiting() < 0) {
      throw new ConfigException("mqtt.bridge.maxWaiting: must not be negative");
    }
    positive("mqtt.bridge.ackTimeoutMs", bridge.ackTimeoutMs());
    if (!c.log().format().equals("text") && !c.log().format().equals("json")) {
      throw new ConfigException("log.format: must be text or json, not " + c.log().format());
    }
    if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(c.log().level())) {
      throw new ConfigException(
          "log.level: must be ERROR, WARN, INFO, DEBUG or TRACE, not " + c.log().level());
    }
    if (!(c.demo().ticksPerSecond() > 0)) {
      throw new ConfigException("demo.ticksPerSecond: must be greater than 0");
    }
    if (c.demo().dropEveryMs() < 0) {
      throw new ConfigException("demo.dropEveryMs: must not be negative");
    }
  }

  private static void publishNats(
      ThingPushConfig.PublishNats nats, ThingPushConfig.Cluster cluster) {
    if (nats.subject() == null || !nats.subject().matches("[^.*>\\s]+(\\.[^.*>\\s]+)*")) {
      throw new ConfigException("publish.nats.subject: must be a NATS subject without wildcards");
    }
    if (nats.queueGroup() == null || !nats.queueGroup().matches("[A-Za-z0-9_.-]+")) {
      throw new ConfigException("publish.nats.queueGroup: must be letters, digits, _ . or -");
    }
    if (!nats.enabled() || nats.ownConnection()) {
      return;
    }
    if (!cluster.enabled()) {
      throw new ConfigException(
          "publish.nats.url: required when the node runs alone (cluster.natsUrl empty)");
    }
    // On the cluster's own NATS a platform must not publish into the node's event log, its
    // republished events or its registry announcements.
    for (String own : new String[] {"log", "ev", "registry"}) {
      if (nats.subject().startsWith(cluster.name() + "." + own + ".")) {
        throw new ConfigException(
            "publish.nats.subject: must lie outside " + cluster.name() + "." + own + ".>");
      }
    }
  }

  private static void corsOrigins(java.util.List<String> origins) {
    for (int i = 0; i < origins.size(); i++) {
      String origin = origins.get(i);
      if (origin == null || !(origin.equals("*") || origin.matches("https?://[^/\\s?#]+"))) {
        throw new ConfigException(
            "http.corsAllowedOrigins["
                + i
                + "]: must be \"*\" or an origin such as "
                + "https://dashboard.example.com (scheme, host and port only), not "
                + origin);
      }
    }
    if (origins.size() > 1 && origins.contains("*")) {
      throw new ConfigException(
          "http.corsAllowedOrigins: \"*\" allows every origin and cannot be listed with others");
    }
  }

  private static void names(String name, java.util.List<String> names) {
    if (names.isEmpty()) {
      throw new ConfigException(name + ": at least one claim name is required");
    }
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null || names.get(i).isEmpty()) {
        throw new ConfigException(name + "[" + i + "]: must not be empty");
      }
    }
  }

  private static void secret(String name, String secret) {
    if (secret != null
        && !secret.isEmpty()
        && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new ConfigException(name + ": must be at least 32 bytes");
    }
  }

  private static void port(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(name + ": must be a port from 0 to 65535");
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new ConfigException(name + ": must be greater than 0");
    }
  }
}
