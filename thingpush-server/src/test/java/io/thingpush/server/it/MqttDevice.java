package io.thingpush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.thingpush.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A device for the tests: an independent MQTT 5 client (HiveMQ) logged in as one device. */
public final class MqttDevice implements AutoCloseable {
  final String productId;
  final String deviceName;
  public final Mqtt5BlockingClient client;

  /** Why the server disconnected this client, when it did. */
  public final List<Throwable> disconnects = new CopyOnWriteArrayList<>();

  private final Mqtt5BlockingClient.Mqtt5Publishes inbox;

  private MqttDevice(String host, int port, String productId, String deviceName) {
    this.productId = productId;
    this.deviceName = deviceName;
    this.client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("it-" + UUID.randomUUID())
            .serverHost(host)
            .serverPort(port)
            .addDisconnectedListener(ctx -> disconnects.add(ctx.getCause()))
            .buildBlocking();
    this.inbox = client.publishes(MqttGlobalPublishFilter.ALL);
  }

  /** A client that has not connected yet. */
  public static MqttDevice create(int port, String productId, String deviceName) {
    return new MqttDevice("127.0.0.1", port, productId, deviceName);
  }

  /** Logs in with {@code secret} and subscribes to the device's two down topics. */
  public static MqttDevice online(int port, String productId, String deviceName, String secret) {
    MqttDevice device = create(port, productId, deviceName);
    device.login(secret);
    device
        .client
        .subscribeWith()
        .topicFilter(device.topic("$thing/down/property"))
        .qos(MqttQos.AT_LEAST_ONCE)
        .addSubscription()
        .topicFilter(device.topic("$thing/down/action"))
        .qos(MqttQos.AT_LEAST_ONCE)
        .applySubscription()
        .send();
    return device;
  }

  public void login(String secret) {
    client
        .connectWith()
        .simpleAuth()
        .username(productId + "&" + deviceName)
        .password(secret.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
  }

  /** {@code <prefix>/{productID}/{deviceName}}. */
  public String topic(String prefix) {
    return prefix + "/" + productId + "/" + deviceName;
  }

  /** Publishes with QoS 1 and returns the PUBACK reason code. */
  public String publish(String topic, String payload) {
    try {
      Mqtt5PublishResult result =
          client
              .publishWith()
              .topic(topic)
              .payload(payload.getBytes(StandardCharsets.UTF_8))
              .qos(MqttQos.AT_LEAST_ONCE)
              .send();
      return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().name();
    } catch (Mqtt5PubAckException refused) {
      return refused.getMqttMessage().getReasonCode().name();
    }
  }

  /** Publishes with QoS 2 and returns the PUBREC reason code. */
  public String publishExactlyOnce(String topic, String payload) {
    try {
      Mqtt5PublishResult result =
          client
              .publishWith()
              .topic(topic)
              .payload(payload.getBytes(StandardCharsets.UTF_8))
              .qos(MqttQos.EXACTLY_ONCE)
              .send();
      return ((Mqtt5PublishResult.Mqtt5Qos2Result) result).getPubRec().getReasonCode().name();
    } catch (Mqtt5PubRecException refused) {
      return refused.getMqttMessage().getReasonCode().name();
    }
  }

  /** The next message the server sent to this device, as {@code {topic, payload}}. */
  public JsonNode next() {
    return described(receive());
  }

  /** The payload of the next message the server sent to this device, as the text it received. */
  public String nextText() {
    return new String(receive().getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  private Mqtt5Publish receive() {
    try {
      Optional<Mqtt5Publish> message =
          inbox.receive(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(message).as("a message to %s/%s", productId, deviceName).isPresent();
      return message.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A message the server already sent to this device, without waiting for one. */
  public Optional<JsonNode> nextNow() {
    return inbox.receiveNow().map(MqttDevice::described);
  }

  private static JsonNode described(Mqtt5Publish message) {
    return Json.object()
        .put("topic", message.getTopic().toString())
        .set(
            "payload",
            Json.parseOrNull(new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    if (client.getState().isConnected()) {
      client.disconnect();
    }
  }
}
