package io.thingpush.server.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingpush.core.device.DeviceConnection;
import io.thingpush.core.device.DeviceLogin;
import io.thingpush.core.device.DeviceMessages;
import io.thingpush.core.device.DevicePresence;
import io.thingpush.core.device.DeviceTopic;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Completions;
import io.thingpush.protocol.LogSafe;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's MQTT connection to the embedded endpoint: login, the topic rules (its own up
 * topics to publish, its own down topics to subscribe; anything else is refused and logged,
 * never processed), its messages handed to the core, the way back to it, and its end when the
 * registry takes its login away.
 */
final class DeviceSession implements DeviceConnection {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);
  private static final int MQTT_5 = 5;

  private final MqttEndpoint endpoint;
  private final Context context;

  /** The event loop thread of {@link #context}, on which every packet of the connection is read. */
  private final Thread loop;

  private final DevicePresence presence;
  private final DeviceMessages messages;
  private final DeviceMetrics metrics;
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
  private Device device;
  private String who;

  /** The topic name of the device's last publish, and what it reads as: a device keeps to few topics. */
  private String lastTopicName;

  private DeviceTopic lastTopic;

  /** Why the server ended the connection; null while it has not. */
  private String endReason;

  private DeviceSession(
      MqttEndpoint endpoint,
      DevicePresence presence,
      DeviceMessages messages,
      DeviceMetrics metrics) {
    this.endpoint = endpoint;
    this.context = Vertx.currentContext();
    this.loop = Thread.currentThread();
    this.presence = presence;
    this.messages = messages;
    this.metrics = metrics;
    this.who =
        "client=" + LogSafe.of(endpoint.clientIdentifier()) + " remote=" + endpoint.remoteAddress();
  }

  /** Handles a new connection: accepts it when the device logs in, else refuses at CONNACK. */
  static void open(
      MqttEndpoint endpoint,
      Supplier<Directory> directory,
      DevicePresence presence,
      DeviceMessages messages,
      DeviceMetrics metrics) {
    new DeviceSession(endpoint, presence, messages, metrics).login(directory);
  }

  private void login(Supplier<Directory> directory) {
    String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
    device = DeviceLogin.authenticate(directory.get(), username, password).orElse(null);
    if (device == null) {
      LOG.info("device login refused: username={} {}", LogSafe.of(username), who);
      endpoint.reject(
          v5()
              ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
              : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
      return;
    }
    who = "device=" + LogSafe.of(device.productId() + "/" + device.deviceName()) + " " + who;
    endpoint.publishAutoAck(false);
    endpoint.subscribeHandler(this::subscribe);
    endpoint.unsubscribeHandler(
        u -> {
          u.topics().forEach(subscribed::remove);
          endpoint.unsubscribeAcknowledge(u.messageId());
        });
    endpoint.publishHandler(this::publish);
    endpoint.publishReleaseHandler(endpoint::publishComplete);
    endpoint.closeHandler(v -> closed());
    endpoint.exceptionHandler(e -> LOG.debug("device connection error {}: {}", who, LogSafe.of(e)));
    endpoint.accept(false);
    LOG.debug("device connected {} protocol={}", who, endpoint.protocolVersion());
    presence
        .online(device.productId(), device.deviceName(), this)
        .whenComplete(
            (previous, failure) -> {
              if (failure != null) {
                // Its online event could not be taken in: the device tries again later.
                LOG.warn(
                    "device online not taken in, closing: {} {}",
                    LogSafe.of(Completions.cause(failure).getMessage()),
                    who);
                context.runOnContext(v -> end(MqttDisconnectReasonCode.SERVER_BUSY, "server_busy"));
              } else if (previous != null) {
                ((DeviceSession) previous).takenOver();
              }
            });
    // A registry change that went live during this login did not find this session to revoke.
    if (DeviceLogin.authenticate(directory.get(), username, password).isEmpty()) {
      revoke();
    }
  }

  private void subscribe(MqttSubscribeMessage request) {
    List<MqttSubAckReasonCode> v5 = new ArrayList<>();
    List<MqttQoS> v3 = new ArrayList<>();
    for (MqttTopicSubscription s : request.topicSubscriptions()) {
      boolean allowed =
          DeviceTopic.maySubscribe(s.topicName(), device.productId(), device.deviceName());
      if (allowed) {
        subscribed.add(s.topicName());
      } else {
        LOG.warn(
            "device subscription refused: topic {} is not one of its own {}",
            LogSafe.of(s.topicName()),
            who);
      }
      MqttQoS granted =
          s.qualityOfService().value() > 1 ? MqttQoS.AT_LEAST_ONCE : s.qualityOfService();
      v3.add(allowed ? granted : MqttQoS.FAILURE);
      v5.add(
          allowed ? MqttSubAckReasonCode.qosGranted(granted) : MqttSubAckReasonCode.NOT_AUTHORIZED);
    }
    if (v5()) {
      endpoint.subscribeAcknowledge(request.messageId(), v5, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.subscribeAcknowledge(request.messageId(), v3);
    }
  }

  private void publish(MqttPublishMessage message) {
    String topic = message.topicName();
    DeviceTopic parsed =
        topic.equals(lastTopicName) ? lastTopic : DeviceTopic.parse(topic).orElse(null);
    if (parsed == null || !parsed.mayBePublishedBy(device.productId(), device.deviceName())) {
      refusePublish(message);
      return;
    }
    lastTopicName = topic;
    lastTopic = parsed;
    messages
        .received(parsed, message.payload().toString(StandardCharsets.UTF_8), this)
        .whenComplete(
            (taken, failure) ->
                onLoop(
                    () -> {
                      if (failure != null) {
                        // Not taken in: left unacknowledged, so that the device sends it again.
                        LOG.warn(
                            "device message not taken in on {}: {} {}",
                            LogSafe.of(topic),
                            LogSafe.of(Completions.cause(failure).getMessage()),
                            who);
                        return;
                      }
                      switch (message.qosLevel()) {
                        case AT_LEAST_ONCE ->
                            acknowledge(() -> endpoint.publishAcknowledge(message.messageId()));
                        case EXACTLY_ONCE ->
                            acknowledge(() -> endpoint.publishReceived(message.messageId()));
                        default -> {}
                      }
                    }));
  }

  /**
   * Runs {@code task} on the connection's loop: at once when already there (the embedded log
   * takes a message in while its packet is read), so that the reply and the acknowledgement go
   * out with the packets of the same read in one flush; else queued on the loop.
   */
  private void onLoop(Runnable task) {
    if (Thread.currentThread() == loop) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /**
   * The device has taken in a message it sent; when it has left meanwhile that is no error:
   * counted, and a device that comes back sends the message again.
   */
  private void acknowledge(Runnable write) {
    if (endpoint.isConnected()) {
      write.run();
    } else {
      metrics.acknowledgementLost();
      LOG.debug("device left before its message was acknowledged {}", who);
    }
  }

  /**
   * MQTT 5 says why in the acknowledgement (or, for QoS 0, a disconnect); 3.1.1 can only
   * disconnect. The disconnect waits for the end of the packets already read with this one (a
   * client's own DISCONNECT often comes in the same read), which the MQTT server would
   * otherwise take for packets of a connection that never was.
   */
  private void refusePublish(MqttPublishMessage message) {
    LOG.warn(
        "device publish refused: topic {} is not one of its own up topics {}",
        LogSafe.of(message.topicName()),
        who);
    switch (v5() ? message.qosLevel() : MqttQoS.AT_MOST_ONCE) {
      case AT_LEAST_ONCE ->
          endpoint.publishAcknowledge(
              message.messageId(),
              MqttPubAckReasonCode.NOT_AUTHORIZED,
              MqttProperties.NO_PROPERTIES);
      case EXACTLY_ONCE ->
          RefusedPubRec.send(endpoint, message.messageId(), MqttPubRecReasonCode.NOT_AUTHORIZED);
      default ->
          context.runOnContext(v -> end(MqttDisconnectReasonCode.NOT_AUTHORIZED, "not_authorized"));
    }
  }

  /** Sends to the device when it subscribed to the topic (MQTT delivers only to subscribers). */
  @Override
  public void send(String topic, String payload) {
    onLoop(
        () -> {
          if (endpoint.isConnected() && subscribed.contains(topic)) {
            endpoint.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false);
          } else {
            LOG.debug("not sent to {}: not subscribed or gone {}", LogSafe.of(topic), who);
          }
        });
  }

  private void takenOver() {
    context.runOnContext(
        v -> {
          LOG.info("device session taken over by a new login {}", who);
          end(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, "taken_over");
        });
  }

  @Override
  public Device device() {
    return device;
  }

  /**
   * Ends the session on its own thread, between two of its messages: the offline is pushed
   * before the device is told (MQTT 5: DISCONNECT {@code 0x87} not authorized), so no event of
   * this session follows it and the device's next login is its next transition.
   */
  @Override
  public void revoke() {
    context.runOnContext(
        v -> {
          LOG.info("device login revoked (deleted, or its secret changed) {}", who);
          offline();
          end(MqttDisconnectReasonCode.NOT_AUTHORIZED, "revoked");
        });
  }

  /** MQTT 5 says why; 3.1.1 has no DISCONNECT from the server, only the closed connection. */
  private void end(MqttDisconnectReasonCode reason, String why) {
    if (!endpoint.isConnected()) {
      return; // already ended (revoked, taken over, or gone)
    }
    endReason = why;
    if (v5()) {
      endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.close();
    }
  }

  private void closed() {
    String reason = endReason == null ? "left" : endReason;
    LOG.debug("device disconnected ({}) {}", reason, who);
    metrics.disconnected(reason);
    offline();
  }

  /** Pushes the offline when this is still the device's session (once: it then no longer is). */
  private void offline() {
    presence
        .offline(device.productId(), device.deviceName(), this)
        .whenComplete(
            (event, failure) -> {
              if (failure != null) {
                LOG.warn(
                    "device offline not taken in: {} {}",
                    LogSafe.of(Completions.cause(failure).getMessage()),
                    who);
              }
            });
  }

  private boolean v5() {
    return endpoint.protocolVersion() == MQTT_5;
  }
}
