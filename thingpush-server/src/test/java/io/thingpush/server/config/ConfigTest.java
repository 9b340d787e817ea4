package io.thingpush.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void defaultsApplyWhenNothingIsGiven() {
    ThingPushConfig config = ThingPushConfig.parse("", Map.of());
    assertThat(config.ws().port()).isEqualTo(7777);
    assertThat(config.ws().path()).isEqualTo("/api/v1/system/common/websocket/connect");
    assertThat(config.ws().maxMessageBytes()).isEqualTo(65536);
    assertThat(config.limits().subscriptionsPerConnection()).isEqualTo(200);
    assertThat(config.limits().connectionsPerUser()).isEqualTo(100);
    assertThat(config.limits().connectionsPerTenant()).isEqualTo(10000);
    assertThat(config.limits().messagesPerSecond()).isEqualTo(50);
    assertThat(config.limits().messageBurst()).isEqualTo(100);
    assertThat(config.registry().jdbcUrl()).isEqualTo("jdbc:h2:file:./data/thingpush");
    assertThat(config.registry().importFile()).isNull();
    assertThat(config.publish().keys()).isEmpty();
    assertThat(config.mqtt().enabled()).isTrue();
    assertThat(config.mqtt().port()).isEqualTo(1883);
    assertThat(config.mqtt().actionTimeoutMs()).isEqualTo(5000);
    assertThat(config.mqtt().bridge().enabled()).isFalse();
    assertThat(config.mqtt().bridge().shareGroup()).isEqualTo("thingpush");
  }

  @Test
  void badMqttValuesFailNamingTheOption() {
    assertThatThrownBy(() -> ThingPushConfig.parse("mqtt: {port: 70000}", Map.of()))
        .hasMessage("mqtt.port: must be a port from 0 to 65535");
    assertThatThrownBy(() -> ThingPushConfig.parse("mqtt: {actionTimeoutMs: 0}", Map.of()))
        .hasMessage("mqtt.actionTimeoutMs: must be greater than 0");
    assertThatThrownBy(
            () -> ThingPushConfig.parse("mqtt: {bridge: {enabled: true, host: ''}}", Map.of()))
        .hasMessage("mqtt.bridge.host: required when the bridge is enabled");
    assertThatThrownBy(
            () -> ThingPushConfig.parse("", Map.of("THINGPUSH_MQTT_BRIDGE_SHARE_GROUP", "a/b")))
        .hasMessage("mqtt.bridge.shareGroup: may only contain letters, digits and _ . -");
  }

  @Test
  void publishingOverNatsIsOffByDefaultAndUsesItsOwnUrlOrTheClusters() {
    ThingPushConfig.PublishNats defaults = ThingPushConfig.parse("", Map.of()).publish().nats();
    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.subject()).isEqualTo("thingpush.publish");
    assertThat(defaults.queueGroup()).isEqualTo("thingpush");
    assertThat(
            ThingPushConfig.parse(
                    "publish: {nats: {enabled: true}}\ncluster: {natsUrl: 'nats://n1:4222'}",
                    Map.of())
                .publish()
                .nats()
                .ownConnection())
        .isFalse();
    assertThat(
            ThingPushConfig.parse(
                    "publish: {nats: {enabled: true, url: 'nats://p1:4222'}}", Map.of())
                .publish()
                .nats()
                .ownConnection())
        .isTrue();
    assertThatThrownBy(() -> ThingPushConfig.parse("publish: {nats: {enabled: true}}", Map.of()))
        .hasMessage("publish.nats.url: required when the node runs alone (cluster.natsUrl empty)");
  }

  @Test
  void badNatsPublishValuesFailNamingTheOption() {
    for (String subject : new String[] {"a.*", "a.>", "a..b", "a b", ""}) {
      assertThatThrownBy(
              () ->
                  ThingPushConfig.parse("publish: {nats: {subject: '" + subject + "'}}", Map.of()))
          .as("subject '%s'", subject)
          .hasMessage("publish.nats.subject: must be a NATS subject without wildcards");
    }
    assertThatThrownBy(
            () -> ThingPushConfig.parse("", Map.of("THINGPUSH_PUBLISH_NATS_QUEUE_GROUP", "a b")))
        .hasMessage("publish.nats.queueGroup: must be letters, digits, _ . or -");
    String onTheClusters =
        "publish: {nats: {enabled: true, subject: tp.ev.x}}\n"
            + "cluster: {natsUrl: 'nats://n1:4222', name: tp}";
    assertThatThrownBy(() -> ThingPushConfig.parse(onTheClusters, Map.of()))
        .hasMessage("publish.nats.subject: must lie outside tp.ev.>");
  }

  @Test
  void fileOverridesDefaultsAndEnvironmentOverridesFile() {
    ThingPushConfig config =
        ThingPushConfig.parse(
            "ws: {port: 9000, pingMisses: 3}\npublish: {keys: [{key: file-key-123}]}",
            Map.of(
                "THINGPUSH_WS_PORT",
                "9100",
                "THINGPUSH_LIMITS_MESSAGE_BURST",
                "7",
                "THINGPUSH_PUBLISH_KEYS",
                "[{\"key\":\"env-key-1234\",\"tenant\":\"acme\"}]"));
    assertThat(config.ws().port()).isEqualTo(9100);
    assertThat(config.ws().pingMisses()).isEqualTo(3);
    assertThat(config.limits().messageBurst()).isEqualTo(7);
    assertThat(config.publish().keys())
        .containsExactly(new ThingPushConfig.PublishKey("env-key-1234", "acme"));
  }

  @Test
  void environmentNamesFollowThePath() {
    assertThat(ConfigLoader.envName("ws.maxMessageBytes"))
        .isEqualTo("THINGPUSH_WS_MAX_MESSAGE_BYTES");
    assertThat(ConfigLoader.envName("auth.hs256Secret")).isEqualTo("THINGPUSH_AUTH_HS256_SECRET");
  }

  @Test
  void badValuesFailNamingTheOption() {
    assertThatThrownBy(() -> ThingPushConfig.parse("ws: {prot: 1}", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("ws.prot: unknown option");
    assertThatThrownBy(() -> ThingPushConfig.parse("limits: {messageBurst: 0}", Map.of()))
        .hasMessage("limits.messageBurst: must be greater than 0");
    assertThatThrownBy(() -> ThingPushConfig.parse("ws: {port: many}", Map.of()))
        .hasMessageStartingWith("ws.port: ");
    assertThatThrownBy(() -> ThingPushConfig.parse("", Map.of("THINGPUSH_WS_PORT", "70000")))
        .hasMessage("ws.port: must be a port from 0 to 65535");
    assertThatThrownBy(() -> ThingPushConfig.parse("auth: {hs256Secret: short}", Map.of()))
        .hasMessage("auth.hs256Secret: must be at least 32 bytes");
    assertThatThrownBy(
            () ->
                ThingPushConfig.parse(
                    "publish: {keys: [{key: k12345678, tenant: t, x: 1}]}", Map.of()))
        .hasMessage("publish.keys[0].x: unknown option");
  }

  @Test
  void theDemoDropsOneDeviceEveryTenSecondsUnlessToldNever() {
    assertThat(ThingPushConfig.parse("", Map.of()).demo().dropEveryMs()).isEqualTo(10_000);
    assertThat(
            ThingPushConfig.parse("", Map.of("THINGPUSH_DEMO_DROP_EVERY_MS", "0"))
                .demo()
                .dropEveryMs())
        .isZero();
    assertThatThrownBy(() -> ThingPushConfig.parse("demo: {dropEveryMs: -1}", Map.of()))
        .hasMessage("demo.dropEveryMs: must not be negative");
  }

  @Test
  void theRepeatWindowIsPositiveAndNoLongerThanTheHistory() {
    assertThatThrownBy(() -> ThingPushConfig.parse("history: {idempotencyMaxKeys: 0}", Map.of()))
        .hasMessage("history.idempotencyMaxKeys: must be greater than 0");
    assertThatThrownBy(() -> ThingPushConfig.parse("history: {idempotencyWindowMs: 0}", Map.of()))
        .hasMessage("history.idempotencyWindowMs: must be greater than 0");
    assertThatThrownBy(
            () ->
                ThingPushConfig.parse(
                    "history: {maxAgeMs: 60000, idempotencyWindowMs: 60001}", Map.of()))
        .hasMessage("history.idempotencyWindowMs: must not be greater than history.maxAgeMs");
    assertThat(
            ThingPushConfig.parse("", Map.of("THINGPUSH_HISTORY_IDEMPOTENCY_WINDOW_MS", "30000"))
                .history())
        .isEqualTo(new ThingPushConfig.History(100_000, 3_600_000, 30_000, 100_000));
  }

  @Test
  void corsOriginsAreNoneByDefaultAndEachMustBeAnOrigin() {
    assertThat(ThingPushConfig.parse("", Map.of()).http().corsAllowedOrigins()).isEmpty();
    assertThat(
            ThingPushConfig.parse(
                    "",
                    Map.of(
                        "THINGPUSH_HTTP_CORS_ALLOWED_ORIGINS",
                        "[\"https://dash.example.com\",\"http://127.0.0.1:8080\"]"))
                .http()
                .corsAllowedOrigins())
        .containsExactly("https://dash.example.com", "http://127.0.0.1:8080");
    assertThatThrownBy(
            () ->
                ThingPushConfig.parse(
                    "http: {corsAllowedOrigins: [\"https://dash.example.com/app\"]}", Map.of()))
        .hasMessageStartingWith("http.corsAllowedOrigins[0]: must be \"*\" or an origin");
    assertThatThrownBy(
            () ->
                ThingPushConfig.parse(
                    "http: {corsAllowedOrigins: [\"*\", \"https://a.example\"]}", Map.of()))
        .hasMessageStartingWith("http.corsAllowedOrigins: \"*\" allows every origin");
  }

  @Test
  void theLogFormatIsTextOrJson() {
    assertThat(ThingPushConfig.parse("", Map.of()).log())
        .isEqualTo(new ThingPushConfig.Log("text", "INFO"));
    assertThat(ThingPushConfig.parse("", Map.of("THINGPUSH_LOG_FORMAT", "json")).log().format())
        .isEqualTo("json");
    assertThatThrownBy(() -> ThingPushConfig.parse("log: {format: xml}", Map.of()))
        .hasMessage("log.format: must be text or json, not xml");
    assertThatThrownBy(() -> ThingPushConfig.parse("log: {level: LOUD}", Map.of()))
        .hasMessage("log.level: must be ERROR, WARN, INFO, DEBUG or TRACE, not LOUD");
  }

  @Test
  void theDocumentedDefaultsAreTheBuiltInOnes() throws Exception {
    String docs = Files.readString(Path.of("../docs/configuration.md"));
    assertThat(docs).contains(ThingPushConfig.defaultsYaml());
  }
}
