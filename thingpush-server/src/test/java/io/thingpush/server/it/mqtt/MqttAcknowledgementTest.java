package io.thingpush.server.it.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.thingpush.server.it.LogCapture;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A device that sends a QoS 1 message and leaves at once is gone before its PUBACK: on a node
 * whose event log is JetStream the append takes a round trip, so the acknowledgement comes
 * after the device left. That is no error: the acknowledgement is counted as lost, nothing is
 * logged above DEBUG, and the device is offline.
 */
class MqttAcknowledgementTest {
  @Test
  void aDeviceLeavingBeforeItsAcknowledgementIsCountedAndIsNoError() throws Exception {
    try (NatsTestServer nats = NatsTestServer.start();
        TestServer server =
            TestServer.start(
                c ->
                    c.put(
                        "cluster",
                        new LinkedHashMap<>(
                            Map.of(
                                "natsUrl",
                                nats.url(),
                                "name",
                                "t" + UUID.randomUUID().toString().substring(0, 8),
                                "publishTimeoutMs",
                                30_000))));
        LogCapture log = new LogCapture()) {
      Socket socket = RawMqtt.connect(server.mqttPort(), "prodA&d2", "s", 60);
      Waits.await().until(() -> server.metric("thingpush_devices_connected") == 1);

      // NATS holds the append until the device has gone, whatever the speed of the machine.
      nats.freeze();
      try {
        socket
            .getOutputStream()
            .write(
                RawMqtt.publish(
                    "$thing/up/property/prodA/d2",
                    "{\"method\":\"report\",\"msgToken\":\"1\",\"params\":{}}",
                    1,
                    1));
        socket.close();
        Waits.await().until(() -> server.metric("thingpush_devices_connected") == 0);
      } finally {
        nats.thaw();
      }

      Waits.await()
          .untilAsserted(
              () ->
                  assertThat(server.metric("thingpush_device_acks_lost_total"))
                      .as("acknowledgements lost")
                      .isPositive());
      assertThat(log.at(Level.ERROR)).isEmpty();
    }
  }
}
