package io.thingpush.server.it.mqtt;

import static io.thingpush.client.testkit.TestConnections.awaitFrame;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.AdminClient.ok;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A device's MQTT session ends when the registry takes its login away — the device deleted, or
 * its secret changed (admin API or import) — and only then (docs/mqtt.md). Registry on the real
 * PostgreSQL; each test has its own devices.
 */
class MqttSessionRevokedTest {
  private static final String REPORT =
      "{\"method\":\"report\",\"msgToken\":\"r\",\"params\":{\"temp\":21.5}}";
  @RegisterExtension static final TestServer server = TestServer.forClassOnPostgres();
  private static AdminClient admin;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void start() {
    admin = new AdminClient(server, server.token("boss").admin().sign());
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  @Test
  void aDeletedDeviceIsDisconnectedAndPushesNoOffline() {
    Connection app = watching("deviceConn", params("productID", "prodA", "deviceName", "d1"));
    join(app.subscribe("deviceConn", params("projectID", "p1", "areaID", "a1")));
    MqttDevice d1 = online("d1", "s");
    assertThat(statuses(app, 1)).containsExactly(1);

    ok(admin.delete("/tenants/default/devices/prodA/d1"), 200);

    assertDisconnectedNotAuthorized(d1);
    assertThatThrownBy(() -> d1.login("s"))
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    assertThat(
            awaitFrame(app, f -> f.path("type").asText().equals("down.unSubRet"), WAIT)
                .path("code")
                .asInt())
        .isEqualTo(100012);
    long marker = server.publish("deviceConn", "prodA", "d2", "{\"status\":1}");
    // The area still watched: the next push after d1's online is the marker, no offline of d1.
    assertThat(Waits.pushes(app, 2).get(1).path("seq").asLong()).isEqualTo(marker);
  }

  @Test
  void aDeletedDeviceOnMqtt311LosesItsConnection() {
    Mqtt3BlockingClient d4 =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier("it-" + UUID.randomUUID())
            .serverHost("127.0.0.1")
            .serverPort(server.mqttPort())
            .buildBlocking();
    d4.connectWith()
        .simpleAuth()
        .username("prodA&d4")
        .password("s".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();

    ok(admin.delete("/tenants/default/devices/prodA/d4"), 200);

    Waits.await().until(() -> !d4.getState().isConnected());
  }

  @Test
  void aNewSecretDisconnectsTheDeviceOnceAndOnlyTheNewSecretLogsInAgain() {
    Connection app = watching("deviceConn", params("productID", "prodA", "deviceName", "d3"));
    join(app.subscribe("devicePropertyReport", params("productID", "prodA", "deviceName", "d3")));
    MqttDevice d3 = online("d3", "s");
    assertThat(statuses(app, 1)).containsExactly(1);

    String secret =
        ok(admin.post("/tenants/default/devices/prodA/d3/secret", "{}"), 200)
            .path("secret")
            .asText();

    assertDisconnectedNotAuthorized(d3);
    assertThat(statuses(app, 2)).containsExactly(1, 2);
    assertThatThrownBy(() -> d3.login("s")).isInstanceOf(Mqtt5ConnAckException.class);
    d3.login(secret);
    assertThat(d3.publish(d3.topic("$thing/up/property"), REPORT)).isEqualTo("SUCCESS");
    // Every deviceConn push came before the report's: exactly one offline, then the new login.
    Waits.await()
        .until(
            () ->
                pushesSoFar(app).stream()
                    .anyMatch(p -> p.path("path").asText().equals("devicePropertyReport")));
    assertThat(pushesSoFar(app))
        .extracting(p -> p.path("path").asText() + " " + p.at("/body/status").asText())
        .containsExactly("deviceConn 1", "deviceConn 2", "deviceConn 1", "devicePropertyReport ");
  }

  @Test
  void aDeviceMovedToAnotherAreaKeepsItsSession() {
    Connection app = watching("deviceConn", params("productID", "prodA", "deviceName", "e1"));
    join(app.subscribe("devicePropertyReport", params("projectID", "p1", "areaID", "a2")));
    MqttDevice e1 = online("e1", "s");
    assertThat(statuses(app, 1)).containsExactly(1);

    ok(admin.put("/tenants/default/devices/prodA/e1", "{'projectID':'p1','areaID':'a2'}"), 200);

    assertThat(e1.publish(e1.topic("$thing/up/property"), REPORT)).isEqualTo("SUCCESS");
    assertJson(
        awaitFrame(app, f -> f.path("path").asText().equals("devicePropertyReport"), WAIT)
            .get("body"),
        "{'device':{'productID':'prodA','deviceName':'e1'},'timestamp':'*','identifier':'temp','param':21.5}");
    assertThat(e1.client.getState().isConnected()).isTrue();
    assertThat(e1.disconnects).isEmpty();
    assertThat(pushesSoFar(app))
        .extracting(p -> p.path("path").asText() + " " + p.at("/body/status").asText())
        .containsExactly("deviceConn 1", "devicePropertyReport ");
  }

  /** An import re-reads the whole registry: a move keeps the session, a new secret ends it. */
  @Test
  void anImportEndsTheSessionOnlyWhenItChangesTheSecret() {
    MqttDevice k01 = online("k01", "s");

    server.importRegistry(k01Import("s"));
    assertThat(k01.publish(k01.topic("$thing/up/property"), REPORT)).isEqualTo("SUCCESS");
    assertThat(k01.disconnects).isEmpty();

    server.importRegistry(k01Import("s2"));
    assertDisconnectedNotAuthorized(k01);
    k01.login("s2");
    assertThat(k01.client.getState().isConnected()).isTrue();
  }

  private static String k01Import(String secret) {
    return "{\"devices\":[{\"productID\":\"prodA\",\"deviceName\":\"k01\",\"secret\":\""
        + secret
        + "\",\"projectID\":\"p1\",\"areaID\":\"a2\"}]}";
  }

  private Connection watching(String code, Map<String, ?> params) {
    Connection app = server.connectAs("alice");
    join(app.subscribe(code, params));
    return app;
  }

  private MqttDevice online(String deviceName, String secret) {
    MqttDevice device = MqttDevice.online(server.mqttPort(), "prodA", deviceName, secret);
    opened.add(device);
    return device;
  }

  private static void assertDisconnectedNotAuthorized(MqttDevice device) {
    Waits.await().until(() -> !device.disconnects.isEmpty());
    assertThat(device.disconnects.get(0))
        .isInstanceOfSatisfying(
            Mqtt5DisconnectException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED));
  }

  private static List<Integer> statuses(Connection app, int n) {
    return Waits.pushes(app, n).stream().map(p -> p.at("/body/status").asInt()).toList();
  }
}
