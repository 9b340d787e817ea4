package io.thingpush.server.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingpush.core.device.DeviceMessages;
import io.thingpush.core.device.DeviceTopic;
import io.thingpush.core.device.Downlink;
import io.thingpush.core.device.Downlinks;
import io.thingpush.core.events.Completions;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ConfigException;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.protocol.LogSafe;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production mode (docs/mqtt.md): devices connect to an existing broker, which does their login
 * and topic rules; this node consumes their up topics through a shared subscription (so the
 * nodes of a cluster split them) and publishes replies and action calls back through it.
 */
public final class BrokerBridge implements Downlinks, Downlink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerBridge.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final ThingPushConfig.Bridge config;
  private final DeviceMessages messages;
  private final MqttClient client;
  private volatile boolean closed;
  // A refused CONNACK both fails the connect and closes the connection: one retry for the two.
  private boolean retryScheduled;
  private long backoffMs = 500;

  private BrokerBridge(Vertx vertx, ThingPushConfig.Bridge config, int maxMessageBytes, DeviceMessages messages) {
    this.vertx = vertx;
    this.config = config;
    this.messages = messages;
    MqttClientOptions options = new MqttClientOptions()
        .setClientId(config.clientId().isEmpty() ? "thingpush-" + UUID.randomUUID().toString().substring(0, 8)
            : config.clientId())
        .setCleanSession(true)
        .setMaxMessageSize(maxMessageBytes);
    options.setAutoAck(false);
    if (!config.username().isEmpty()) {
      options.setUsername(config.username()).setPassword(config.password());
    }
    this.client = MqttClient.create(vertx, options);
    client.publishHandler(this::received);
    client.closeHandler(v -> reconnectLater());
  }

  /**
   * Connects and subscribes.
   *
   * @throws ConfigException when the broker cannot be reached or refuses the login
   */
  public static BrokerBridge start(Vertx vertx, ThingPushConfig.Mqtt mqtt, DeviceMessages messages) {
    BrokerBridge bridge = new BrokerBridge(vertx, mqtt.bridge(), mqtt.maxMessageBytes(), messages);
    try {
      bridge.connect().await();
    } catch (Exception e) {
      throw new ConfigException("mqtt.bridge: cannot connect to the broker " + mqtt.bridge().host() + ":"
          + mqtt.bridge().port() + ": " + e.getMessage());
    }
    return bridge;
  }

  /** The topic filters of the device up topics, shared when a group is configured. */
  static Map<String, Integer> filters(String shareGroup) {
    Map<String, Integer> filters = new LinkedHashMap<>();
    String prefix = shareGroup == null || shareGroup.isEmpty() ? "" : "$share/" + shareGroup + "/";
    for (DeviceTopic.Kind kind : DeviceTopic.Kind.values()) {
      if (kind.up()) {
        filters.put(prefix + kind.prefix() + "/+/+", MqttQoS.AT_LEAST_ONCE.value());
      }
    }
    return filters;
  }

  private Future<Integer> connect() {
    return client.connect(config.port(), config.host())
        .compose(ack -> client.subscribe(filters(config.shareGroup())))
        .onSuccess(v -> {
          backoffMs = 500;
          LOG.info("bridging device topics from broker {}:{} as {} (share group '{}')", config.host(),
              config.port(), client.clientId(), config.shareGroup());
        });
  }

  private void reconnectLater() {
    if (closed || retryScheduled) {
      return;
    }
    retryScheduled = true;
    LOG.warn("lost the broker {}:{}; reconnecting in {} ms", config.host(), config.port(), backoffMs);
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, t -> {
      retryScheduled = false;
      connect().onFailure(e -> reconnectLater());
    });
  }

  private void received(MqttPublishMessage message) {
    DeviceTopic topic = DeviceTopic.parse(message.topicName()).filter(t -> t.kind().up()).orElse(null);
    if (topic == null) {
      message.ack();
      return;
    }
    Context context = Vertx.currentContext();
    messages.received(topic, message.payload().toString(StandardCharsets.UTF_8), this)
        .whenComplete((taken, failure) -> context.runOnContext(v -> {
          Throwable cause = failure == null ? null : Completions.cause(failure);
          if (cause == null) {
            message.ack();
          } else if (cause instanceof ThingPushException e && e.code() == ErrorCode.NOT_FOUND) {
            // Another installation's device on the same broker, or one not imported yet.
            LOG.debug("message of an unknown device on {} dropped", LogSafe.of(message.topicName()));
            message.ack();
          } else {
            LOG.warn("device message on {} not taken in: {}", LogSafe.of(message.topicName()), LogSafe.of(cause.getMessage()));
          }
        }));
  }

  /** Every device is reached through the broker (whether it is connected there, the broker knows). */
  @Override
  public Downlink to(String productId, String deviceName) {
    return this;
  }

  @Override
  public void send(String topic, String payload) {
    client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false)
        .onFailure(e -> LOG.warn("publish to {} through the broker failed: {}", LogSafe.of(topic), LogSafe.of(e.getMessage())));
  }

  @Override
  public void close() {
    closed = true;
    if (client.isConnected()) {
      client.disconnect().await();
    }
  }
}
