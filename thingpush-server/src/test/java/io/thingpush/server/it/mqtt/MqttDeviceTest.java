package io.thingpush.server.it.mqtt;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPEC §8 through the embedded endpoint: a real MQTT device reports, a real WebSocket app
 * receives the exact SPEC §3 pushes. "Nothing else was pushed" is checked the way DeliveryTest
 * does: a later message's push arriving proves no earlier push is still on its way.
 */
class MqttDeviceTest {
  private static final String DEV = "{'productID':'prodA','deviceName':'d1'}";
  @RegisterExtension static final TestServer server = TestServer.forClass();
  private MqttDevice device;

  @AfterEach
  void closeClients() {
    if (device != null) {
      device.close();
    }
  }

  private Connection watch(String code) {
    Connection app = server.connectAs("alice");
    assertThat(
            join(app.subscribe(code, params("productID", "prodA", "deviceName", "d1")))
                .path("code")
                .asInt())
        .isEqualTo(200);
    return app;
  }

  private MqttDevice d1() {
    device = MqttDevice.online(server.mqttPort(), "prodA", "d1", "s");
    return device;
  }

  @Test
  void aValidReportIsRepliedWith200AndPushedPerPropertyAndAsOneV2() {
    Connection single = watch("devicePropertyReport");
    Connection v2 = watch("devicePropertyReportV2");
    Connection raw = watch("devicePublish");
    MqttDevice d1 = d1();
    String report =
        "{\"method\":\"report\",\"msgToken\":\"m-1\",\"timestamp\":1700000000123,"
            + "\"params\":{\"temp\":21.5,\"hum\":40,\"power\":1,\"label\":\"ok\"}}";

    assertThat(d1.publish(d1.topic("$thing/up/property"), report)).isEqualTo("SUCCESS");

    JsonNode reply = d1.next();
    String replyText =
        "{\"method\":\"reportReply\",\"msgToken\":\"m-1\",\"code\":200,\"msg\":\"success\"}";
    assertJson(reply, "{'topic':'$thing/down/property/prodA/d1','payload':" + replyText + "}");
    List<JsonNode> pushes = Waits.pushes(single, 4);
    assertThat(pushes).hasSize(4);
    assertJson(
        pushes.get(0),
        "{'code':200,'msg':'成功','type':'down.pub','path':'devicePropertyReport','seq':'*',"
            + "'body':{'device':"
            + DEV
            + ",'timestamp':'1700000000123','identifier':'temp','param':21.5}}");
    assertThat(pushes)
        .extracting(p -> p.path("body").path("identifier").asText())
        .containsExactly("temp", "hum", "power", "label");
    assertJson(
        pushes.get(2).get("body"),
        "{'device':" + DEV + ",'timestamp':'1700000000123','identifier':'power'," + "'param':1}");
    assertJson(
        Waits.pushes(v2, 1).get(0).get("body"),
        "{'device':"
            + DEV
            + ",'timestamp':'1700000000123',"
            + "'params':{'temp':21.5,'hum':40,'power':1,'label':'ok'}}");
    List<JsonNode> published = Waits.pushes(raw, 2);
    assertJson(
        published.get(0).get("body"),
        "{'productID':'prodA','deviceName':'d1','timestamp':'*',"
            + "'topic':'$thing/up/property/prodA/d1','action':'report','content':"
            + Json(report)
            + ","
            + "'requestID':'m-1','traceID':'*','resultCode':200,'respPayload':"
            + Json(replyText)
            + "}");
    assertJson(
        published.get(1).get("body"),
        "{'productID':'prodA','deviceName':'d1','timestamp':'*',"
            + "'topic':'$thing/down/property/prodA/d1','action':'reportReply','content':"
            + Json(replyText)
            + ","
            + "'requestID':'m-1','traceID':'*','resultCode':200,'respPayload':''}");
    assertThat(published.get(1).at("/body/traceID"))
        .isEqualTo(published.get(0).at("/body/traceID"));
    assertThat(pushes.get(0).get("seq").asLong())
        .isGreaterThan(published.get(0).get("seq").asLong());
  }

  /** What the shared mapper writes for a reply's JSON object. */
  private static String mapperReply(
      String method, String token, String actionId, int code, String msg) {
    ObjectNode reply = Json.object().put("method", method).put("msgToken", token);
    if (actionId != null) {
      reply.put("actionID", actionId);
    }
    return Json.text(reply.put("code", code).put("msg", msg));
  }

  @Test
  void aReplyIsTheTextTheMapperWritesForItsJson() {
    MqttDevice d1 = d1();
    String token = "quote \" backslash \\ slash / tab \t control \u0001 é 温度 \uD83D\uDE00";
    String quoted = Json.text(token);

    d1.publish(
        d1.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":" + quoted + ",\"params\":{\"hum\":1}}");
    assertThat(d1.nextText()).isEqualTo(mapperReply("reportReply", token, null, 200, "success"));
    d1.publish(
        d1.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":" + quoted + ",\"params\":{\"power\":2}}");
    assertThat(d1.nextText())
        .isEqualTo(mapperReply("reportReply", token, null, 406, "power: must be 0 or 1"));
    d1.publish(
        d1.topic("$thing/up/action"),
        "{\"method\":\"action\",\"msgToken\":"
            + quoted
            + ",\"actionID\":\"reboot\",\"params\":{\"delaySec\":3}}");
    assertThat(d1.nextText())
        .isEqualTo(mapperReply("actionReply", token, "reboot", 200, "success"));
  }

  @Test
  void reportsReachTheSubscribersOfTheDevicesAreaAndNoOthers() {
    Connection bob = server.connectAs("bob");
    assertThat(
            join(bob.subscribe("devicePropertyReport", params("projectID", "p1", "areaID", "a1")))
                .path("code")
                .asInt())
        .isEqualTo(200);
    try (MqttDevice d3 = MqttDevice.online(server.mqttPort(), "prodA", "d3", "s")) {
      d3.publish(
          d3.topic("$thing/up/property"),
          "{\"method\":\"report\",\"msgToken\":\"x\",\"params\":{\"hum\":3}}");
      d3.next();
    }
    MqttDevice d1 = d1();
    d1.publish(
        d1.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":\"y\",\"params\":{\"hum\":4}}");

    // d3 is in area a2, outside bob's a1; d1 is in a111, under a1.
    assertThat(Waits.pushes(bob, 1))
        .extracting(
            p -> p.at("/body/device/deviceName").asText() + " " + p.at("/body/param").asInt())
        .containsExactly("d1 4");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"temp\":120.5,\"hum\":40}       | temp: 120.5 is above the maximum 120",
        "{\"temp\":20,\"hum\":-1}          | hum: -1 is below the minimum 0",
        "{\"hum\":40.5}                    | hum: must be an integer",
        "{\"power\":2}                     | power: must be 0 or 1",
        "{\"label\":7}                     | label: must be a string",
        "{\"tmp\":1}                       | tmp: is not a property of the thing model"
      })
  void aReportBreakingTheThingModelGets406AndNothingOfItIsPushed(String params, String msg) {
    Connection single = watch("devicePropertyReport");
    Connection raw = watch("devicePublish");
    MqttDevice d1 = d1();
    String bad = "{\"method\":\"report\",\"msgToken\":\"bad\",\"params\":" + params + "}";

    d1.publish(d1.topic("$thing/up/property"), bad);
    JsonNode reply = d1.next();
    d1.publish(
        d1.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":\"good\",\"params\":{\"hum\":1}}");
    d1.next();

    assertJson(
        reply.get("payload"),
        "{'method':'reportReply','msgToken':'bad','code':406,'msg':'" + msg + "'}");
    List<JsonNode> pushes = Waits.pushes(single, 1);
    assertThat(pushes).extracting(p -> p.at("/body/param").asInt()).containsExactly(1);
    List<JsonNode> published = Waits.pushes(raw, 4);
    assertThat(published)
        .extracting(p -> p.at("/body/action").asText() + " " + p.at("/body/resultCode").asInt())
        .containsExactly("report 406", "reportReply 406", "report 200", "reportReply 200");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json                                             | '' | 100006",
        "{\"msgToken\":\"t\",\"params\":{\"temp\":1}}         | t  | 100006",
        "{\"method\":\"report\",\"msgToken\":\"t\"}           | t  | 100006",
        "{\"method\":\"report\",\"msgToken\":\"t\",\"params\":{\"temp\":1},\"timestamp\":\"x\"} | t | 100006",
        "{\"method\":\"getStatus\",\"msgToken\":\"t\"}        | t  | 100013"
      })
  void aMalformedMessageOrUnknownMethodGetsAnErrorReplyAndPushesNothing(
      String payload, String token, int code) {
    Connection single = watch("devicePropertyReportV2");
    MqttDevice d1 = d1();

    d1.publish(d1.topic("$thing/up/property"), payload);
    JsonNode reply = d1.next();
    d1.publish(
        d1.topic("$thing/up/property"),
        "{\"method\":\"report\",\"msgToken\":\"ok\",\"params\":{\"hum\":2}}");
    d1.next();

    assertJson(
        reply.get("payload"),
        "{'method':'reportReply','msgToken':'" + token + "','code':" + code + ",'msg':'*'}");
    assertThat(Waits.pushes(single, 1))
        .extracting(p -> p.at("/body/params/hum").asInt())
        .containsExactly(2);
  }

  @Test
  void otaProgressIsPushedAsAnOtaReport() {
    Connection ota = watch("deviceOtaReport");
    MqttDevice d1 = d1();

    d1.publish(
        d1.topic("$ota/up/progress"),
        "{\"method\":\"reportProgress\",\"params\":{\"step\":30,\"desc\":\"dl\"}}");
    d1.publish(
        d1.topic("$ota/up/progress"),
        "{\"method\":\"reportProgress\",\"params\":{\"step\":100,\"desc\":\"ok\"}}");
    d1.publish(
        d1.topic("$ota/up/progress"),
        "{\"method\":\"reportProgress\",\"params\":{\"step\":-3,\"desc\":\"bad sum\"}}");

    List<JsonNode> pushes = Waits.pushes(ota, 3);
    assertJson(
        pushes.get(0).get("body"),
        "{'device':" + DEV + ",'timestamp':'*','status':4,'detail':'dl','step':30}");
    assertJson(
        pushes.get(1).get("body"),
        "{'device':" + DEV + ",'timestamp':'*','status':5,'detail':'ok','step':100}");
    assertJson(
        pushes.get(2).get("body"),
        "{'device':" + DEV + ",'timestamp':'*','status':6,'detail':'bad sum','step':-3}");
  }

  @Test
  void aDeviceInitiatedActionIsPushedAsUpReqAndAnswered() {
    Connection actions = watch("deviceActionReport");
    MqttDevice d1 = d1();

    d1.publish(
        d1.topic("$thing/up/action"),
        "{\"method\":\"action\",\"msgToken\":\"a-1\",\"actionID\":\"reboot\",\"params\":{\"delaySec\":3}}");

    assertJson(
        d1.next(),
        "{'topic':'$thing/down/action/prodA/d1','payload':{'method':'actionReply',"
            + "'msgToken':'a-1','actionID':'reboot','code':200,'msg':'success'}}");
    assertJson(
        Waits.pushes(actions, 1).get(0).get("body"),
        "{'device':"
            + DEV
            + ",'msgToken':'a-1','timestamp':'*',"
            + "'actionID':'reboot','params':{'delaySec':3},'code':200,'msg':'','dir':'up','reqType':'req'}");
  }

  private static String Json(String text) {
    return io.thingpush.protocol.Json.text(text).replace("'", "\\'");
  }
}
