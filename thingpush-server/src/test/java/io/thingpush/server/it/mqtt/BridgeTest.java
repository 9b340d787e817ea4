package io.thingpush.server.it.mqtt;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.thingpush.client.Connection;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.TestServer.HttpResult;
import io.thingpush.server.it.Waits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bridge mode against the Mosquitto of the machine (127.0.0.1:1883): devices talk to the
 * broker, ThingPush consumes their topics and answers through it. Product and client ids are
 * unique per run, so that runs sharing the broker never see each other's devices.
 *
 * <p>Mosquitto (2.0) delivers nothing of a {@code $}-topic to a shared subscription, so these
 * tests run the bridge with plain subscriptions ({@code shareGroup: ""}); see docs/mqtt.md.
 */
class BridgeTest {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String PRODUCT = "bridge-" + RUN;
  private static final String DEV = "{'productID':'" + PRODUCT + "','deviceName':'b1'}";
  private static final int BROKER_PORT = 1883;
  private static final int BURST_DEVICES = 20;
  private static final int BURST_REPORTS = 15;

  @RegisterExtension
  static final TestServer server =
      TestServer.forClass(
          c -> {
            Map<String, Object> bridge = new LinkedHashMap<>();
            bridge.put("enabled", true);
            bridge.put("host", "127.0.0.1");
            bridge.put("port", BROKER_PORT);
            bridge.put("clientId", "thingpush-it-" + RUN);
            bridge.put("shareGroup", "");
            c.get("mqtt").put("enabled", false);
            c.get("mqtt").put("bridge", bridge);
          });

  private MqttDevice device;

  @BeforeAll
  static void start() {
    server.importRegistry(
        "{\"products\": [{\"id\": \""
            + PRODUCT
            + "\", \"tenant\": \"default\", \"name\": \"Bridged\","
            + " \"thingModel\": {\"properties\": [{\"identifier\": \"temp\", \"type\": \"float\", \"min\": 0, \"max\": 50}],"
            + " \"actions\": [{\"identifier\": \"blink\", \"input\": [{\"identifier\": \"times\", \"type\": \"int\","
            + " \"min\": 1, \"max\": 9}]}]}}],"
            + " \"devices\": ["
            + device("b1")
            + burstDevices()
            + "]}");
  }

  private static String device(String name) {
    return "{\"productID\": \""
        + PRODUCT
        + "\", \"deviceName\": \""
        + name
        + "\", \"secret\": \"s\","
        + " \"projectID\": \"p1\", \"areaID\": \"a1\"}";
  }

  private static String burstDevices() {
    StringBuilder devices = new StringBuilder();
    for (int d = 0; d < BURST_DEVICES; d++) {
      devices.append(", ").append(device("burst-" + d));
    }
    return devices.toString();
  }

  @AfterEach
  void closeClients() {
    if (device != null) {
      device.close();
    }
  }

  private Connection watch(String code) {
    Connection app = server.connectAs("alice");
    join(app.subscribe(code, params("productID", PRODUCT, "deviceName", "b1")));
    return app;
  }

  /** The device, logged in to the broker (which has no device login of its own here). */
  private MqttDevice b1() {
    device = MqttDevice.online(BROKER_PORT, PRODUCT, "b1", "s");
    return device;
  }

  @Test
  void reportsThroughTheBrokerArePushedAndRepliedToThroughIt() {
    Connection app = watch("devicePropertyReport");
    MqttDevice b1 = b1();

    b1.publish(
        b1.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":\"r1\",\"timestamp\":1700000000000,"
            + "\"params\":{\"temp\":20.5}}");
    assertJson(
        b1.next(),
        "{'topic':'$thing/down/property/"
            + PRODUCT
            + "/b1','payload':{'method':'reportReply',"
            + "'msgToken':'r1','code':200,'msg':'success'}}");
    b1.publish(
        b1.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":\"r2\",\"params\":{\"temp\":51}}");
    assertJson(
        b1.next().get("payload"),
        "{'method':'reportReply','msgToken':'r2','code':406,"
            + "'msg':'temp: 51 is above the maximum 50'}");
    b1.publish(
        b1.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":\"r3\",\"params\":{\"temp\":1}}");
    b1.next();

    List<JsonNode> pushes = Waits.pushes(app, 2);
    assertJson(
        pushes.get(0).get("body"),
        "{'device':" + DEV + ",'timestamp':'1700000000000','identifier':'temp'," + "'param':20.5}");
    assertThat(pushes.get(1).at("/body/param").asInt()).isEqualTo(1);
  }

  /** Replies wait for room in the bridge's in-flight window instead of being refused by its MQTT client. */
  @Test
  void aBurstOfReportsFromManyDevicesGetsEveryReply() {
    List<MqttDevice> devices = new ArrayList<>();
    try {
      for (int d = 0; d < BURST_DEVICES; d++) {
        devices.add(MqttDevice.online(BROKER_PORT, PRODUCT, "burst-" + d, "s"));
      }
      List<CompletableFuture<?>> sent = new ArrayList<>();
      for (int r = 0; r < BURST_REPORTS; r++) {
        for (MqttDevice d : devices) {
          sent.add(
              d.client
                  .toAsync()
                  .publishWith()
                  .topic(d.topic("$thing/up/property"))
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(
                      ("{\"method\":\"report\",\"msgToken\":\"t"
                              + r
                              + "\",\"params\":{\"temp\":"
                              + r
                              + "}}")
                          .getBytes(StandardCharsets.UTF_8))
                  .send());
        }
      }
      join(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));

      for (int d = 0; d < BURST_DEVICES; d++) {
        Set<String> answered = new TreeSet<>();
        for (int r = 0; r < BURST_REPORTS; r++) {
          JsonNode reply = devices.get(d).next().get("payload");
          assertThat(reply.get("code").asInt()).isEqualTo(200);
          answered.add(reply.get("msgToken").asText());
        }
        assertThat(answered).as("replies to burst-%d", d).hasSize(BURST_REPORTS);
      }
    } finally {
      devices.forEach(MqttDevice::close);
    }
  }

  @Test
  void anActionCallGoesOutThroughTheBrokerAndItsReplyComesBack() {
    Connection app = watch("deviceActionReport");
    MqttDevice b1 = b1();

    CompletableFuture<HttpResult> answer =
        CompletableFuture.supplyAsync(
            () ->
                server.post(
                    "/api/v1/push/action",
                    "Bearer " + PLATFORM_KEY,
                    "{\"device\":{\"productID\":\""
                        + PRODUCT
                        + "\",\"deviceName\":\"b1\"},"
                        + "\"actionID\":\"blink\",\"params\":{\"times\":3}}"));
    JsonNode call = b1.next();
    assertThat(call.get("topic").asText()).isEqualTo("$thing/down/action/" + PRODUCT + "/b1");
    String token = call.at("/payload/msgToken").asText();
    b1.publish(
        b1.topic("$thing/up/action"),
        "{\"method\":\"actionReply\",\"msgToken\":\""
            + token
            + "\",\"code\":200,\"msg\":\"blinked\"}");

    assertJson(
        join(answer).json(),
        "{'code':200,'msg':'success','reply':{'method':'actionReply','msgToken':'"
            + token
            + "','code':200,'msg':'blinked'}}");
    assertThat(Waits.pushes(app, 2))
        .extracting(p -> p.at("/body/dir").asText() + "/" + p.at("/body/reqType").asText())
        .containsExactly("down/req", "up/resp");
  }

  @Test
  void otaProgressThroughTheBrokerIsPushed() {
    Connection app = watch("deviceOtaReport");
    MqttDevice b1 = b1();

    b1.publish(
        b1.topic("$ota/up/progress"),
        "{\"method\":\"reportProgress\",\"params\":{\"step\":50,\"desc\":\"half\"}}");

    assertJson(
        Waits.pushes(app, 1).get(0).get("body"),
        "{'device':" + DEV + ",'timestamp':'*','status':4,'detail':'half','step':50}");
  }

  @Test
  void messagesOfDevicesNotInTheRegistryAreIgnored() {
    Connection app = watch("devicePropertyReport");
    try (MqttDevice stranger = MqttDevice.online(BROKER_PORT, "stranger-" + RUN, "x", "s")) {
      stranger.publish(
          stranger.topic("$thing/up/property"), "{\"method\":\"report\",\"params\":{\"temp\":1}}");
      MqttDevice b1 = b1();
      b1.publish(
          b1.topic("$thing/up/property"),
          "{\"method\":\"report\",\"msgToken\":\"k\",\"params\":{\"temp\":2}}");
      b1.next();
    }

    assertThat(Waits.pushes(app, 1))
        .extracting(p -> p.at("/body/param").asInt())
        .containsExactly(2);
  }
}
