package io.thingpush.server.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingpush.core.device.DeviceMessages;
import io.thingpush.core.device.DeviceTopic;
import io.thingpush.core.device.Downlink;
import io.thingpush.core.device.Downlinks;
import io.thingpush.core.events.Completions;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.LogSafe;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ConfigException;
import io.thingpush.server.config.ThingPushConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttException;
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
 * nodes of a cluster split them) and publishes replies and action calls back through it, at most
 * {@code mqtt.bridge.maxInflight} awaiting the broker's PUBACK and the rest waiting their turn.
 */
public final class BrokerBridge implements Downlinks, Downlink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerBridge.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final ThingPushConfig.Bridge config;
  private final DeviceMessages messages;
  private final MqttClient client;
  private final DeviceMetrics metrics;

  /** Guards the window, whose count follows the client's own count of messages awaiting PUBACK. */
  private final Object lock = new Object();

  private final PublishWindow<Outgoing> window;
  private boolean refusing;
  private volatile boolean closed;
  // A refused CONNACK both fails the connect and closes the connection: one retry for the two.
  private boolean retryScheduled;
  private long backoffMs = 500;

  private record Outgoing(String topic, Buffer payload) {}

  private BrokerBridge(
      Vertx vertx,
      ThingPushConfig.Bridge config,
      int maxMessageBytes,
      DeviceMessages messages,
      DeviceMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.messages = messages;
    this.metrics = metrics;
    this.window = new PublishWindow<>(config.maxInflight(), config.maxWaiting());
    // Without an ack time-out the client never frees the room of a message whose PUBACK was lost
    // with a connection: after enough reconnects it would refuse every publish.
    MqttClientOptions options =
        new MqttClientOptions()
            .setClientId(
                config.clientId().isEmpty()
                    ? "thingpush-" + UUID.randomUUID().toString().substring(0, 8)
                    : config.clientId())
            .setCleanSession(true)
            .setMaxMessageSize(maxMessageBytes)
            .setMaxInflightQueue(config.maxInflight())
            .setAckTimeout((int) Math.max(1, (config.ackTimeoutMs() + 999) / 1000));
    options.setAutoAck(false);
    if (!config.username().isEmpty()) {
      options.setUsername(config.username()).setPassword(config.password());
    }
    this.client = MqttClient.create(vertx, options);
    client.publishHandler(this::received);
    client.publishCompletionHandler(packetId -> landed());
    client.publishCompletionExpirationHandler(
        packetId -> {
          metrics.bridgePublishDropped("unacknowledged");
          LOG.warn(
              "no PUBACK from the broker {}:{} within {} ms (mqtt.bridge.ackTimeoutMs): a reply or action call "
                  + "may not have reached its device",
              config.host(),
              config.port(),
              config.ackTimeoutMs());
          landed();
        });
    client.closeHandler(
        v -> {
          synchronized (lock) {
            window.open(false);
          }
          reconnectLater();
        });
  }

  /**
   * Connects and subscribes.
   *
   * @throws ConfigException when the broker cannot be reached or refuses the login
   */
  public static BrokerBridge start(
      Vertx vertx, ThingPushConfig.Mqtt mqtt, DeviceMessages messages, DeviceMetrics metrics) {
    BrokerBridge bridge =
        new BrokerBridge(vertx, mqtt.bridge(), mqtt.maxMessageBytes(), messages, metrics);
    try {
      bridge.connect().await();
    } catch (Exception e) {
      throw new ConfigException(
          "mqtt.bridge: cannot connect to the broker "
              + mqtt.bridge().host()
              + ":"
              + mqtt.bridge().port()
              + ": "
              + e.getMessage());
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
    return client
        .connect(config.port(), config.host())
        .compose(ack -> client.subscribe(filters(config.shareGroup())))
        .onSuccess(
            v -> {
              backoffMs = 500;
              synchronized (lock) {
                window.open(true);
                sendWaiting();
              }
              LOG.info(
                  "bridging device topics from broker {}:{} as {} (share group '{}')",
                  config.host(),
                  config.port(),
                  client.clientId(),
                  config.shareGroup());
            });
  }

  private void reconnectLater() {
    if (closed || retryScheduled) {
      return;
    }
    retryScheduled = true;
    LOG.warn(
        "lost the broker {}:{}; reconnecting in {} ms", config.host(), config.port(), backoffMs);
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(
        delay,
        t -> {
          retryScheduled = false;
          connect().onFailure(e -> reconnectLater());
        });
  }

  private void received(MqttPublishMessage message) {
    DeviceTopic topic =
        DeviceTopic.parse(message.topicName()).filter(t -> t.kind().up()).orElse(null);
    if (topic == null) {
      message.ack();
      return;
    }
    Context context = Vertx.currentContext();
    Thread loop = Thread.currentThread();
    messages
        .received(topic, message.payload().toString(StandardCharsets.UTF_8), this)
        .whenComplete(
            (taken, failure) -> {
              // The embedded log takes a message in while its packet is read: the PUBACK then goes
              // out with the reply and the other packets of the same read in one flush, rather
              // than in a task and a flush of its own.
              if (Thread.currentThread() == loop) {
                settle(message, failure);
              } else {
                context.runOnContext(v -> settle(message, failure));
              }
            });
  }

  /** Acknowledges a message that was taken in, or that no device of the registry sent. */
  private static void settle(MqttPublishMessage message, Throwable failure) {
    Throwable cause = failure == null ? null : Completions.cause(failure);
    if (cause == null) {
      message.ack();
    } else if (cause instanceof ThingPushException e && e.code() == ErrorCode.NOT_FOUND) {
      // Another installation's device on the same broker, or one not imported yet.
      LOG.debug("message of an unknown device on {} dropped", LogSafe.of(message.topicName()));
      message.ack();
    } else {
      LOG.warn(
          "device message on {} not taken in: {}",
          LogSafe.of(message.topicName()),
          LogSafe.of(cause.getMessage()));
    }
  }

  /** Every device is reached through the broker (whether it is connected there, the broker knows). */
  @Override
  public Downlink to(String productId, String deviceName) {
    return this;
  }

  /** Publishes now when the window has room, else when it has; refused (and counted) when too many wait. */
  @Override
  public void send(String topic, String payload) {
    Outgoing message = new Outgoing(topic, Buffer.buffer(payload));
    synchronized (lock) {
      switch (window.offer(message)) {
        case SEND -> {
          refusing = false;
          publish(message);
        }
        case WAIT -> refusing = false;
        case REFUSE -> refused(message);
      }
    }
  }

  private void landed() {
    synchronized (lock) {
      window.landed();
      sendWaiting();
    }
  }

  /** Under the lock. */
  private void sendWaiting() {
    for (Outgoing message = window.next(); message != null; message = window.next()) {
      publish(message);
    }
  }

  /** Under the lock; the message is counted in flight. */
  private void publish(Outgoing message) {
    try {
      client
          .publish(message.topic(), message.payload(), MqttQoS.AT_LEAST_ONCE, false, false)
          .onFailure(e -> notSent(message, e));
    } catch (RuntimeException connectionGone) {
      // The connection closed under it: the client counted the message, and its ack time-out frees
      // the room.
      LOG.debug("publish to {} while the broker connection closes", LogSafe.of(message.topic()));
    }
  }

  private void notSent(Outgoing message, Throwable e) {
    if (e instanceof MqttException) {
      // Refused before the client counted it (a topic it does not take).
      synchronized (lock) {
        window.landed();
        sendWaiting();
      }
      metrics.bridgePublishDropped("refused");
    }
    // Otherwise it was not written (the connection closed): its ack time-out counts it.
    LOG.warn(
        "publish to {} through the broker failed: {}",
        LogSafe.of(message.topic()),
        LogSafe.of(e.getMessage()));
  }

  /** Under the lock. */
  private void refused(Outgoing message) {
    metrics.bridgePublishDropped("queue_full");
    if (!refusing) {
      refusing = true;
      LOG.warn(
          "{} messages already wait for the broker {}:{} (mqtt.bridge.maxWaiting): dropping replies and action "
              + "calls until room frees, first to {}",
          window.waiting(),
          config.host(),
          config.port(),
          LogSafe.of(message.topic()));
    }
  }

  @Override
  public void close() {
    closed = true;
    if (client.isConnected()) {
      client.disconnect().await();
    }
  }
}
