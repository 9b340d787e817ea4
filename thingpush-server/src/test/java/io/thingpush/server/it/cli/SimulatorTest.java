package io.thingpush.server.it.cli;

import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.cli.Main;
import io.thingpush.server.config.ConfigException;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The simulator, the demo that runs on it, and the device endpoint's port when it is taken. */
class SimulatorTest {
  @Test
  void theSimulateCommandRunsTheDevicesOfARegistryFileOverMqtt() throws Exception {
    try (TestServer server = TestServer.start()) {
      Connection app = server.connectAs("alice");
      join(app.subscribe("devicePropertyReportV2", params("projectID", "p2")));
      Path registry = Files.createTempFile("thingpush-sim", ".json");
      Files.writeString(
          registry,
          "{\"products\": [{\"id\": \"prodA\", \"thingModel\": {\"properties\": ["
              + "{\"identifier\": \"hum\", \"type\": \"int\", \"min\": 0, \"max\": 100, \"step\": 5}]}}],"
              + " \"devices\": [{\"productID\": \"prodA\", \"deviceName\": \"k01\", \"secret\": \"s\"},"
              + " {\"productID\": \"prodA\", \"deviceName\": \"k02\", \"secret\": \"s\"},"
              + " {\"productID\": \"prodA\", \"deviceName\": \"k03\", \"secret\": \"s\"}]}");
      StringWriter out = new StringWriter();
      CommandLine cli = new CommandLine(new Main());
      cli.setOut(new PrintWriter(out));

      int exit =
          cli.execute(
              "simulate",
              "--port",
              Integer.toString(server.mqttPort()),
              "--registry",
              registry.toString(),
              "--devices",
              "2",
              "--rate",
              "40",
              "--seconds",
              "2");

      Files.delete(registry);
      assertThat(exit).as("%s", out).isZero();
      assertThat(out.toString())
          .contains(
              "simulating 2 devices against 127.0.0.1:"
                  + server.mqttPort()
                  + " for 2 s: 2 connected")
          .containsPattern("done: \\d+ messages sent \\(\\d+/s\\), [1-9]\\d* reports answered");
      List<JsonNode> pushes = Waits.pushes(app, 3);
      assertThat(pushes)
          .extracting(p -> p.at("/body/device/deviceName").asText())
          .allMatch(List.of("k01", "k02")::contains);
      // Every simulated value follows the thing model of the file: accepted, on a step of 5.
      assertThat(pushes)
          .extracting(p -> p.at("/body/params/hum").asInt())
          .allMatch(h -> h % 5 == 0 && h <= 100);
    }
  }

  /** A plain broker takes the messages but answers no report: the run says it is not ThingPush and fails. */
  @Test
  void simulatingAgainstAPlainBrokerFailsSayingSo() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.execute(
            "simulate", "--port", "1883", "--devices", "1", "--rate", "20", "--seconds", "2");

    assertThat(exit).as("%s %s", out, err).isEqualTo(1);
    assertThat(out.toString())
        .contains("simulating 1 devices against 127.0.0.1:1883 for 2 s: 1 connected");
    assertThat(err.toString())
        .contains("127.0.0.1:1883 took")
        .contains("answered no property report")
        .contains("not ThingPush's MQTT device endpoint");
  }

  @Test
  void theDemoRunsOnSimulatedMqttDevicesAndTakesAFreePortWhenItsOwnIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        TestServer server =
            TestServer.start(
                c -> {
                  c.get("mqtt").put("port", taken.getLocalPort());
                  c.put(
                      "demo",
                      new java.util.LinkedHashMap<>(
                          java.util.Map.of("enabled", true, "ticksPerSecond", 50)));
                })) {
      assertThat(server.mqttPort()).isPositive().isNotEqualTo(taken.getLocalPort());
      Connection app = server.connectAs("demo");
      join(app.subscribe("devicePublish", params("projectID", "p-factory")));

      List<JsonNode> pushes = Waits.pushes(app, 5);
      assertThat(pushes)
          .extracting(p -> p.at("/body/topic").asText())
          .allMatch(t -> t.startsWith("$"));
      assertThat(pushes).extracting(p -> p.at("/body/resultCode").asInt()).containsOnly(200);
    }
  }

  @Test
  void aTakenPortStopsANormalStartNamingTheOption() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () -> TestServer.start(c -> c.get("mqtt").put("port", taken.getLocalPort())))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "mqtt.port: port "
                  + taken.getLocalPort()
                  + " on 127.0.0.1 is already in use, by another "
                  + "program or a ThingPush still running (set mqtt.port or THINGPUSH_MQTT_PORT to a free port, or 0 for any)");
    }
  }
}
