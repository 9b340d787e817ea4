package io.thingpush.server.it.mqtt;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.LogCapture;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Device login, topic rules and every way a device comes and goes (SPEC §8, deviceConn). */
class MqttSessionTest {
  private static final String DEV = "{'productID':'prodA','deviceName':'d2'}";
  @RegisterExtension static final TestServer server = TestServer.forClass();
  private final List<AutoCloseable> opened = new java.util.ArrayList<>();

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private Connection watchConn() {
    Connection app = server.connectAs("alice");
    join(app.subscribe("deviceConn", params("productID", "prodA", "deviceName", "d2")));
    return app;
  }

  private MqttDevice device(String deviceName) {
    MqttDevice d = MqttDevice.create(server.mqttPort(), "prodA", deviceName);
    opened.add(d);
    return d;
  }

  private Mqtt3BlockingClient v3() {
    return MqttClient.builder()
        .useMqttVersion3()
        .identifier("it-" + UUID.randomUUID())
        .serverHost("127.0.0.1")
        .serverPort(server.mqttPort())
        .buildBlocking();
  }

  private static void login(Mqtt3BlockingClient c, String username, String secret) {
    c.connectWith()
        .simpleAuth()
        .username(username)
        .password(secret.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
  }

  private static List<Integer> statuses(Connection app, int n) {
    return Waits.pushes(app, n).stream().map(p -> p.at("/body/status").asInt()).toList();
  }

  // ---- login

  @Test
  void aWrongSecretOrUnknownDeviceIsRefusedAtConnackWithBadUsernameOrPassword() {
    for (String[] login : new String[][] {{"d2", "wrong"}, {"nope", "s"}}) {
      MqttDevice d = device(login[0]);
      assertThatThrownBy(() -> d.login(login[1]))
          .isInstanceOfSatisfying(
              Mqtt5ConnAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }
    for (String username : new String[] {"prodA&d2", "prodA&nope", "prodA", "prodA/d2"}) {
      assertThatThrownBy(() -> login(v3(), username, username.equals("prodA&d2") ? "wrong" : "s"))
          .as(username)
          .isInstanceOfSatisfying(
              Mqtt3ConnAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReturnCode())
                      .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD));
    }
  }

  // ---- topic rules

  @Test
  void mqtt5RefusesForeignTopicsWithNotAuthorizedAndProcessesNothing() {
    Connection app = server.connectAs("alice");
    join(app.subscribe("devicePublish", params("productID", "prodA", "deviceName", "d3")));
    MqttDevice d2 = device("d2");
    d2.login("s");

    assertThat(
            d2.publish(
                "$thing/up/property/prodA/d3", "{\"method\":\"report\",\"params\":{\"hum\":1}}"))
        .isEqualTo("NOT_AUTHORIZED");
    assertThat(d2.publish("$thing/down/property/prodA/d2", "{}")).isEqualTo("NOT_AUTHORIZED");
    assertThat(
            d2.publishExactlyOnce(
                "$thing/up/property/prodA/d3", "{\"method\":\"report\",\"params\":{\"hum\":1}}"))
        .isEqualTo("NOT_AUTHORIZED");
    assertThatThrownBy(
            () -> d2.client.subscribeWith().topicFilter("$thing/down/property/prodA/d3").send())
        .isInstanceOfSatisfying(
            Mqtt5SubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
    assertThatThrownBy(() -> d2.client.subscribeWith().topicFilter("$thing/down/#").send())
        .isInstanceOf(Mqtt5SubAckException.class);
    assertThat(d2.client.getState().isConnected()).isTrue();

    try (MqttDevice d3 = MqttDevice.online(server.mqttPort(), "prodA", "d3", "s")) {
      d3.publish(
          d3.topic("$thing/up/property"),
          "{\"method\":\"report\",\"msgToken\":\"own\",\"params\":{\"hum\":2}}");
      assertThat(Waits.pushes(app, 2))
          .extracting(p -> p.at("/body/requestID").asText())
          .containsExactly("own", "own");
    }
  }

  @Test
  void mqtt311RefusesForeignSubscriptionsWithFailureAndForeignPublishesByDisconnecting() {
    Mqtt3BlockingClient c = v3();
    login(c, "prodA&d2", "s");

    assertThatThrownBy(() -> c.subscribeWith().topicFilter("$thing/down/action/prodA/d3").send())
        .isInstanceOfSatisfying(
            Mqtt3SubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReturnCodes())
                    .containsExactly(Mqtt3SubAckReturnCode.FAILURE));
    c.subscribeWith().topicFilter("$thing/down/action/prodA/d2").qos(MqttQos.AT_LEAST_ONCE).send();
    c.toAsync()
        .publishWith()
        .topic("$thing/up/property/prodA/d3")
        .payload("{}".getBytes(StandardCharsets.UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();

    Waits.await().until(() -> !c.getState().isConnected());
  }

  /** The publish and the client's DISCONNECT come in one read: the refusal ends the session once both are handled. */
  @Test
  void aForeignPublishOn311FollowedByDisconnectEndsTheSessionWithoutAnError() throws Exception {
    try (LogCapture log = new LogCapture();
        Socket socket = RawMqtt.connect(server.mqttPort(), "prodA&d2", "s", 60)) {
      ByteArrayOutputStream packets = new ByteArrayOutputStream();
      packets.writeBytes(RawMqtt.publish("$thing/up/property/prodA/d3", "{}", 0, 0));
      packets.writeBytes(RawMqtt.disconnect());
      socket.getOutputStream().write(packets.toByteArray());

      assertThat(socket.getInputStream().read())
          .as("the server closes the connection")
          .isEqualTo(-1);
      Waits.await()
          .untilAsserted(() -> assertThat(server.metric("thingpush_devices_connected")).isZero());
      assertThat(log.at(Level.ERROR)).isEmpty();
    }
  }

  @Test
  void aDeviceLeavingIsCountedAsLeftAndIsNoError() throws Exception {
    Connection app = watchConn();
    double left = server.metric("thingpush_device_disconnects_total{reason=\"left\"}");
    try (LogCapture log = new LogCapture()) {
      Socket socket = RawMqtt.connect(server.mqttPort(), "prodA&d2", "s", 60);
      assertThat(statuses(app, 1)).containsExactly(1);

      socket
          .getOutputStream()
          .write(
              RawMqtt.publish(
                  "$thing/up/property/prodA/d2",
                  "{\"method\":\"report\",\"msgToken\":\"1\",\"params\":{}}",
                  1,
                  7));
      socket.close();

      assertThat(statuses(app, 2)).containsExactly(1, 2);
      Waits.await()
          .untilAsserted(
              () ->
                  assertThat(server.metric("thingpush_device_disconnects_total{reason=\"left\"}"))
                      .isEqualTo(left + 1));
      assertThat(log.at(Level.ERROR)).isEmpty();
    }
  }

  // ---- connection state

  @Test
  void connectAndCleanDisconnectAreOnlineAndOffline() {
    Connection app = watchConn();
    MqttDevice d2 = device("d2");

    d2.login("s");
    assertJson(
        Waits.pushes(app, 1).get(0).get("body"),
        "{'device':" + DEV + ",'timestamp':'*','status':1}");
    d2.client.disconnect();

    assertJson(
        Waits.pushes(app, 2).get(1).get("body"),
        "{'device':" + DEV + ",'timestamp':'*','status':2}");
  }

  @Test
  void aLostSocketIsOffline() throws Exception {
    Connection app = watchConn();
    Socket socket = RawMqtt.connect(server.mqttPort(), "prodA&d2", "s", 60);
    assertThat(statuses(app, 1)).containsExactly(1);

    socket.setSoLinger(true, 0);
    socket.close();

    assertThat(statuses(app, 2)).containsExactly(1, 2);
  }

  @Test
  void aKeepAliveTimeoutIsOffline() throws Exception {
    Connection app = watchConn();
    try (Socket silent = RawMqtt.connect(server.mqttPort(), "prodA&d2", "s", 1)) {
      assertThat(statuses(app, 1)).containsExactly(1);

      // No PINGREQ comes: the server closes the connection after 1.5 keep-alive periods.
      assertThat(silent.getInputStream().read()).isEqualTo(-1);
      assertThat(statuses(app, 2)).containsExactly(1, 2);
    }
  }

  @Test
  void aSecondLoginTakesOverWithoutAnyTransitionAndTheLastLogoutIsOffline() {
    Connection app = watchConn();
    MqttDevice first = device("d2");
    first.login("s");
    assertThat(statuses(app, 1)).containsExactly(1);

    MqttDevice second = device("d2");
    second.login("s");
    Waits.await().until(() -> !first.disconnects.isEmpty());
    assertThat(first.disconnects.get(0))
        .isInstanceOfSatisfying(
            Mqtt5DisconnectException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER));
    second.client.disconnect();

    // The offline of the second session is the very next push: the takeover pushed nothing.
    assertThat(statuses(app, 2)).containsExactly(1, 2);
  }
}
