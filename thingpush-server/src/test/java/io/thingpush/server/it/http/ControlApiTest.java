package io.thingpush.server.it.http;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.server.it.IThingsApp;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.TestServer.HttpResult;
import io.thingpush.server.it.Waits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Property control over HTTP (SPEC §8) and the operator of a control or an action call on the
 * pushes that follow it, as an i-Things front end receives them (SPEC §3): a JSON number with
 * every digit of the user id.
 */
class ControlApiTest {
  private static final String CONTROL = "/api/v1/push/control";
  private static final String ACTION = "/api/v1/push/action";
  private static final String OPERATOR = "1790000000000000001";
  @RegisterExtension static final TestServer server = TestServer.forClass();
  private MqttDevice device;

  @AfterEach
  void close() {
    if (device != null) {
      device.close();
    }
  }

  private static String control(String device, String params, String operator) {
    return "{\"device\":{\"productID\":\"prodA\",\"deviceName\":\""
        + device
        + "\"},\"params\":"
        + params
        + (operator == null ? "" : ",\"operatorUserId\":" + operator)
        + "}";
  }

  private static IThingsApp app(String code, String params) {
    IThingsApp app =
        IThingsApp.connect(server, IThingsApp.params().bearer(server.login(OPERATOR).sign()));
    assertThat(app.subscribe(code, params).path("code").asInt()).isEqualTo(200);
    return app;
  }

  private static void assertOperator(JsonNode push) {
    JsonNode operator = push.path("body").path("operatorUserId");
    assertThat(operator.isIntegralNumber()).as("a JSON number in %s", push).isTrue();
    assertThat(operator.toString()).isEqualTo(OPERATOR);
  }

  @Test
  void aControlReachesTheDeviceAndItsReplyReportsTheValuesWithTheOperator() {
    IThingsApp app = app("devicePropertyReport", "{'productID':'prodA','deviceName':'e1'}");
    IThingsApp v2 = app("devicePropertyReportV2", "{'projectID':'p2'}");
    device = MqttDevice.online(server.mqttPort(), "prodA", "e1", "s");

    CompletableFuture<HttpResult> answer =
        CompletableFuture.supplyAsync(
            () ->
                server.post(
                    CONTROL,
                    "Bearer " + PLATFORM_KEY,
                    control("e1", "{\"temp\":21.5,\"power\":1}", OPERATOR)));
    JsonNode sent = device.next();
    assertJson(
        sent,
        "{'topic':'$thing/down/property/prodA/e1','payload':{'method':'control','msgToken':'*',"
            + "'timestamp':'*','params':{'temp':21.5,'power':1}}}");
    String token = sent.at("/payload/msgToken").asText();
    device.publish(
        device.topic("$thing/up/property"),
        "{\"method\":\"controlReply\",\"msgToken\":\""
            + token
            + "\",\"code\":200,\"msg\":\"done\"}");

    HttpResult result = TestServer.join(answer);
    assertThat(result.status()).isEqualTo(200);
    assertJson(
        result.json(),
        "{'code':200,'msg':'success','reply':{'method':'controlReply','msgToken':'"
            + token
            + "','code':200,'msg':'done'}}");
    JsonNode temp = app.next("down.pub");
    JsonNode power = app.next("down.pub");
    assertThat(temp.at("/body/identifier").asText() + power.at("/body/identifier").asText())
        .isEqualTo("temppower");
    assertOperator(temp);
    assertOperator(power);
    JsonNode both = v2.next("down.pub");
    assertJson(
        both.get("body"),
        "{'device':{'productID':'prodA','deviceName':'e1'},'timestamp':'*',"
            + "'params':{'temp':21.5,'power':1},'operatorUserId':"
            + OPERATOR
            + "}");
  }

  @Test
  void aDevicesOwnReportCarriesNoOperator() {
    IThingsApp app = app("devicePropertyReport", "{'productID':'prodA','deviceName':'e1'}");
    device = MqttDevice.online(server.mqttPort(), "prodA", "e1", "s");

    device.publish(
        device.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":\"r1\",\"params\":{\"temp\":3}}");

    assertThat(app.next("down.pub").path("body").has("operatorUserId")).isFalse();
  }

  @Test
  void valuesThatBreakTheThingModelAre406AndNothingIsSent() {
    device = MqttDevice.online(server.mqttPort(), "prodA", "e1", "s");

    HttpResult result =
        server.post(CONTROL, "Bearer " + PLATFORM_KEY, control("e1", "{\"temp\":500}", null));

    assertThat(result.status()).isEqualTo(406);
    assertThat(result.json().path("code").asInt()).isEqualTo(406);
    assertThat(result.json().path("msg").asText()).contains("temp");
    assertThat(device.nextNow()).as("nothing sent to the device").isEmpty();
  }

  @Test
  void aDeviceThatDoesNotReplyIs504AndOtherRefusals() {
    device = MqttDevice.online(server.mqttPort(), "prodA", "e1", "s");

    HttpResult late =
        server.post(CONTROL, "Bearer " + PLATFORM_KEY, control("e1", "{\"temp\":1}", null));
    assertThat(late.status()).isEqualTo(504);
    assertJson(
        late.json(),
        "{'code':100007,'msg':'system error: device prodA/e1 did not reply within 2000 ms'}");

    assertThat(
            server
                .post(CONTROL, "Bearer " + PLATFORM_KEY, control("d2", "{\"temp\":1}", null))
                .status())
        .as("not connected")
        .isEqualTo(404);
    assertThat(server.post(CONTROL, "Bearer " + PLATFORM_KEY, control("e1", "{}", null)).status())
        .isEqualTo(400);
    assertThat(
            server
                .post(CONTROL, "Bearer " + PLATFORM_KEY, control("e1", "{\"temp\":1}", "\"x7\""))
                .status())
        .as("operatorUserId not an integer")
        .isEqualTo(400);
    assertThat(server.post(CONTROL, "Bearer nope", control("e1", "{\"temp\":1}", null)).status())
        .isEqualTo(401);
  }

  @Test
  void anActionCallsOperatorIsOnItsActionReports() {
    IThingsApp app =
        app("deviceActionReport", "{'productID':'prodA','deviceName':'e1','identifier':'reboot'}");
    device = MqttDevice.online(server.mqttPort(), "prodA", "e1", "s");

    CompletableFuture<HttpResult> answer =
        CompletableFuture.supplyAsync(
            () ->
                server.post(
                    ACTION,
                    "Bearer " + PLATFORM_KEY,
                    "{\"device\":{\"productID\":\"prodA\",\"deviceName\":\"e1\"},\"actionID\":\"reboot\","
                        + "\"params\":{\"delaySec\":1},\"operatorUserId\":\""
                        + OPERATOR
                        + "\"}"));
    String token = device.next().at("/payload/msgToken").asText();
    device.publish(
        device.topic("$thing/up/action"),
        "{\"method\":\"actionReply\",\"msgToken\":\""
            + token
            + "\",\"code\":200,\"msg\":\"ok\",\"params\":{\"took\":1}}");

    assertThat(TestServer.join(answer).status()).isEqualTo(200);
    JsonNode call = app.next("down.pub");
    JsonNode reply = app.next("down.pub");
    assertThat(call.at("/body/dir").asText() + "/" + reply.at("/body/dir").asText())
        .isEqualTo("down/up");
    assertOperator(call);
    assertOperator(reply);
  }

  @Test
  void theDemosSimulatedDevicesAnswerAControl() throws Exception {
    try (TestServer demo =
        TestServer.start(
            c ->
                c.put(
                    "demo",
                    new java.util.LinkedHashMap<>(
                        java.util.Map.of(
                            "enabled", true, "ticksPerSecond", 1, "dropEveryMs", 0))))) {
      String body =
          "{\"device\":{\"productID\":\"pump\",\"deviceName\":\"pump-01\"},\"params\":{\"running\":0}}";
      Waits.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> demo.post(CONTROL, "Bearer " + PLATFORM_KEY, body).status() == 200);
      HttpResult result = demo.post(CONTROL, "Bearer " + PLATFORM_KEY, body);
      assertJson(
          result.json(),
          "{'code':200,'msg':'success','reply':{'method':'controlReply','msgToken':'*',"
              + "'code':200,'msg':'done'}}");
    }
  }
}
