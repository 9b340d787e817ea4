package io.thingpush.server.it.mqtt;

import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.thingpush.client.Connection;
import io.thingpush.server.it.LogCapture;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedded endpoint listens from one event loop per core: devices that connect are spread
 * over those loops, and each device's reports, sent without waiting for their answers, are still
 * acknowledged, replied to and pushed in the order the device sent them.
 */
class MqttEventLoopsTest {
  private static final int DEVICES = 8;
  private static final int REPORTS = 25;
  @RegisterExtension static final TestServer server = TestServer.forClass();

  @Test
  void devicesLandOnSeveralLoopsAndEachOneIsAnsweredAndPushedInItsOrder() {
    Connection app = server.connectAs("alice");
    assertThat(
            join(app.subscribe("devicePropertyReport", params("projectID", "p2", "areaID", "b1")))
                .path("code")
                .asInt())
        .isEqualTo(200);
    List<MqttDevice> devices = new ArrayList<>();
    try (LogCapture log = new LogCapture("io.thingpush.server.mqtt.DeviceSession", Level.DEBUG)) {
      for (int d = 1; d <= DEVICES; d++) {
        devices.add(MqttDevice.online(server.mqttPort(), "prodA", String.format("k%02d", d), "s"));
      }
      // One server per core: a single core has one loop for the devices.
      assertThat(log.threadsLogging("device connected"))
          .hasSize(Math.min(Runtime.getRuntime().availableProcessors(), DEVICES));

      List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
      for (int r = 0; r < REPORTS; r++) {
        for (MqttDevice device : devices) {
          acks.add(report(device, r));
        }
      }

      assertThat(acks)
          .allSatisfy(ack -> assertThat(join(ack).getError()).as("PUBACK error").isEmpty());
      for (MqttDevice device : devices) {
        assertThat(
                IntStream.range(0, REPORTS)
                    .mapToObj(r -> device.next().at("/payload/msgToken").asText()))
            .as("the replies to %s", device.client.getConfig().getClientIdentifier())
            .containsExactlyElementsOf(tokens());
      }
      Map<String, List<String>> pushed =
          Waits.pushes(app, DEVICES * REPORTS).stream()
              .collect(
                  Collectors.groupingBy(
                      p -> p.at("/body/device/deviceName").asText(),
                      Collectors.mapping(
                          p -> "r" + p.at("/body/param").asInt(), Collectors.toList())));
      assertThat(pushed).hasSize(DEVICES);
      assertThat(pushed.values())
          .allSatisfy(p -> assertThat(p).containsExactlyElementsOf(tokens()));
    } finally {
      devices.forEach(MqttDevice::close);
    }
  }

  /** Report {@code r}: msgToken {@code r<r>}, hum {@code r}; sent without waiting for its PUBACK. */
  private static CompletableFuture<Mqtt5PublishResult> report(MqttDevice device, int r) {
    String payload =
        "{\"method\":\"report\",\"msgToken\":\"r" + r + "\",\"params\":{\"hum\":" + r + "}}";
    return device
        .client
        .toAsync()
        .publishWith()
        .topic(device.topic("$thing/up/property"))
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
  }

  private static List<String> tokens() {
    return IntStream.range(0, REPORTS).mapToObj(r -> "r" + r).toList();
  }
}
