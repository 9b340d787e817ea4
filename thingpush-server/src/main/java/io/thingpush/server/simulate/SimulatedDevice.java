package io.thingpush.server.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingpush.core.device.DeviceTopic;
import io.thingpush.core.device.DeviceTopic.Kind;
import io.thingpush.core.thingmodel.ThingModel;
import io.thingpush.protocol.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated device over real MQTT 3.1.1: logs in as {@code {productID}&{deviceName}},
 * subscribes to its down topics, reports values that follow its thing model, reports OTA
 * progress, calls actions of its own, answers the actions it is called with and the property
 * controls it is sent (taking the values, which the server then reports), and drops its
 * connection when told, coming back after a delay (as after any other loss).
 */
public final class SimulatedDevice {
  /** What a simulated device needs to know about itself. */
  public record Spec(String productId, String deviceName, String secret, ThingModel model) {}

  private static final int MAX_IN_FLIGHT = 1000;

  private final Vertx vertx;
  private final Spec spec;
  private final String host;
  private final int port;
  private final Random random;
  private final AtomicLong sent;
  private final AtomicLong answered;
  private final long restoreAfterMs;
  private MqttClient client;
  private volatile boolean closing;
  private int otaStep = -10;
  private long token;

  SimulatedDevice(
      Vertx vertx,
      Spec spec,
      String host,
      int port,
      Random random,
      AtomicLong sent,
      AtomicLong answered,
      long restoreAfterMs) {
    this.vertx = vertx;
    this.answered = answered;
    this.restoreAfterMs = restoreAfterMs;
    this.spec = spec;
    this.host = host;
    this.port = port;
    this.random = random;
    this.sent = sent;
  }

  String name() {
    return spec.productId() + "/" + spec.deviceName();
  }

  boolean connected() {
    return client != null && client.isConnected();
  }

  Future<Void> connect() {
    MqttClientOptions options =
        new MqttClientOptions()
            .setClientId("sim-" + spec.productId() + "-" + spec.deviceName())
            .setUsername(spec.productId() + "&" + spec.deviceName())
            .setPassword(spec.secret())
            .setKeepAliveInterval(30)
            .setMaxInflightQueue(MAX_IN_FLIGHT)
            .setCleanSession(true);
    client = MqttClient.create(vertx, options);
    client.publishHandler(this::received);
    // Like a real device, it comes back after any loss: a drop of its own, or a login elsewhere.
    client.closeHandler(
        v ->
            vertx.setTimer(
                restoreAfterMs,
                t -> {
                  if (!closing) {
                    connect();
                  }
                }));
    return client
        .connect(port, host)
        .compose(
            ack ->
                client.subscribe(Map.of(topic(Kind.PROPERTY_DOWN), 1, topic(Kind.ACTION_DOWN), 1)))
        .mapEmpty();
  }

  void report() {
    ObjectNode params = SimulatedValues.of(spec.model().properties(), random);
    if (!params.isEmpty()) {
      ObjectNode report = message("report").put("timestamp", System.currentTimeMillis());
      report.set("params", params);
      publish(Kind.PROPERTY_UP, report);
    }
  }

  void otaProgress() {
    otaStep = otaStep >= 100 ? 0 : otaStep + 10;
    ObjectNode progress = message("reportProgress");
    progress
        .putObject("params")
        .put("step", Math.max(0, otaStep))
        .put("desc", otaStep >= 100 ? "upgrade succeeded" : "downloading");
    publish(Kind.OTA_UP, progress);
  }

  void callAction() {
    List<ThingModel.Action> actions = new ArrayList<>(spec.model().actions().values());
    if (actions.isEmpty()) {
      report();
      return;
    }
    ThingModel.Action action = actions.get(random.nextInt(actions.size()));
    ObjectNode call = message("action").put("actionID", action.identifier());
    call.set("params", SimulatedValues.of(action.input(), random));
    publish(Kind.ACTION_UP, call);
  }

  /** Disconnects; it comes back after the restore delay. */
  void drop() {
    if (connected()) {
      client.disconnect();
    }
  }

  Future<Void> close() {
    closing = true;
    return connected() ? client.disconnect() : Future.succeededFuture();
  }

  private void received(MqttPublishMessage message) {
    JsonNode call = Json.parseOrNull(message.payload().toString(StandardCharsets.UTF_8));
    if (call != null && "reportReply".equals(call.path("method").asText())) {
      answered.incrementAndGet();
      return;
    }
    if (call != null
        && message.topicName().equals(topic(Kind.PROPERTY_DOWN))
        && "control".equals(call.path("method").asText())) {
      // The server checked the values against the thing model: the device takes them.
      publish(
          Kind.PROPERTY_UP,
          Json.object()
              .put("method", "controlReply")
              .put("msgToken", call.path("msgToken").asText())
              .put("code", 200)
              .put("msg", "done"));
      return;
    }
    if (!message.topicName().equals(topic(Kind.ACTION_DOWN))
        || call == null
        || !"action".equals(call.path("method").asText())) {
      return; // replies to this device's own messages need no answer
    }
    ObjectNode reply =
        Json.object().put("method", "actionReply").put("msgToken", call.path("msgToken").asText());
    ThingModel.Action action = spec.model().action(call.path("actionID").asText()).orElse(null);
    if (action == null) {
      reply.put("code", 100009).put("msg", "no such action");
    } else {
      reply.put("code", 200).put("msg", "done");
      reply.set("params", SimulatedValues.of(action.output(), random));
    }
    publish(Kind.ACTION_UP, reply);
  }

  private ObjectNode message(String method) {
    return Json.object().put("method", method).put("msgToken", spec.deviceName() + "-" + ++token);
  }

  private void publish(Kind kind, ObjectNode message) {
    if (connected()) {
      client
          .publish(
              topic(kind), Buffer.buffer(Json.text(message)), MqttQoS.AT_LEAST_ONCE, false, false)
          .onSuccess(id -> sent.incrementAndGet());
    }
  }

  private String topic(Kind kind) {
    return DeviceTopic.of(kind, spec.productId(), spec.deviceName());
  }
}
