package io.thingpush.server.it.http;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.ACME_KEY;
import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.LogCapture;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.TestServer.HttpResult;
import io.thingpush.server.it.Waits;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Calling a device action over HTTP (SPEC §8): the call, the device's reply, the pushes, the refusals. */
class ActionApiTest {
  private static final String PATH = "/api/v1/push/action";
  private static final String DEV = "{'productID':'prodA','deviceName':'d1'}";
  @RegisterExtension static final TestServer server = TestServer.forClass();
  private MqttDevice device;

  @AfterEach
  void closeClients() {
    if (device != null) {
      device.close();
    }
  }

  private static String call(String params) {
    return "{\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"actionID\":\"reboot\",\"params\":"
        + params
        + "}";
  }

  @Test
  void aCallReachesTheDeviceAndAnswersWithItsReply() {
    Connection app = server.connectAs("alice");
    join(app.subscribe("deviceActionReport", params("productID", "prodA", "deviceName", "d1")));
    device = MqttDevice.online(server.mqttPort(), "prodA", "d1", "s");

    CompletableFuture<HttpResult> answer =
        CompletableFuture.supplyAsync(
            () -> server.post(PATH, "Bearer " + PLATFORM_KEY, call("{\"delaySec\":5}")));
    JsonNode action = device.next();
    assertJson(
        action,
        "{'topic':'$thing/down/action/prodA/d1','payload':{'method':'action','msgToken':'*',"
            + "'actionID':'reboot','timestamp':'*','params':{'delaySec':5}}}");
    String token = action.at("/payload/msgToken").asText();
    device.publish(
        device.topic("$thing/up/action"),
        "{\"method\":\"actionReply\",\"msgToken\":\""
            + token
            + "\",\"code\":200,\"msg\":\"rebooting\",\"params\":{\"took\":12}}");

    HttpResult result = join(answer);
    assertThat(result.status()).isEqualTo(200);
    assertJson(
        result.json(),
        "{'code':200,'msg':'success','reply':{'method':'actionReply','msgToken':'"
            + token
            + "','code':200,'msg':'rebooting','params':{'took':12}}}");
    List<JsonNode> pushes = Waits.pushes(app, 2);
    assertJson(
        pushes.get(0).get("body"),
        "{'device':"
            + DEV
            + ",'msgToken':'"
            + token
            + "','timestamp':'*',"
            + "'actionID':'reboot','params':{'delaySec':5},'code':200,'msg':'','dir':'down','reqType':'req'}");
    assertJson(
        pushes.get(1).get("body"),
        "{'device':"
            + DEV
            + ",'msgToken':'"
            + token
            + "','timestamp':'*',"
            + "'actionID':'reboot','params':{'took':12},'code':200,'msg':'rebooting','dir':'up','reqType':'resp'}");
  }

  @Test
  void aDeviceThatDoesNotAnswerTimesOutWith504() {
    device = MqttDevice.online(server.mqttPort(), "prodA", "d1", "s");

    HttpResult result = server.post(PATH, "Bearer " + PLATFORM_KEY, call("{}"));

    assertThat(device.next().at("/payload/method").asText()).isEqualTo("action");
    assertThat(result.status()).isEqualTo(504);
    assertJson(
        result.json(),
        "{'code':100007,'msg':'system error: device prodA/d1 did not reply within 2000 ms'}");
  }

  @Test
  void refusals() {
    device = MqttDevice.online(server.mqttPort(), "prodA", "d1", "s");
    String offline =
        "{\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d2\"},\"actionID\":\"reboot\"}";
    String foreign =
        "{\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"},\"actionID\":\"reboot\"}";

    expect(
        server.post(PATH, "Bearer nope", call("{}")),
        401,
        100005,
        "token invalid: missing or unknown publish key");
    expect(
        server.post(PATH, "Bearer " + PLATFORM_KEY, "[]"),
        400,
        100006,
        "parameter error: body must be a JSON object");
    expect(
        server.post(
            PATH,
            "Bearer " + PLATFORM_KEY,
            "{\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"}}"),
        400,
        100006,
        "parameter error: actionID must be a non-empty string");
    expect(
        server.post(PATH, "Bearer " + PLATFORM_KEY, call("{\"delaySec\":61}")),
        400,
        100006,
        "parameter error: delaySec: 61 is above the maximum 60");
    expect(
        server.post(PATH, "Bearer " + PLATFORM_KEY, call("{\"delay\":1}")),
        400,
        100006,
        "parameter error: delay: is not an input of action reboot");
    expect(
        server.post(PATH, "Bearer " + PLATFORM_KEY, call("[1]")),
        400,
        100006,
        "parameter error: params must be an object");
    expect(
        server.post(PATH, "Bearer " + PLATFORM_KEY, call("{}").replace("reboot", "explode")),
        404,
        100009,
        "not found: action explode is not in the thing model of product prodA");
    expect(
        server.post(PATH, "Bearer " + PLATFORM_KEY, offline),
        404,
        100009,
        "not found: device prodA/d2 is not connected");
    expect(
        server.post(PATH, "Bearer " + ACME_KEY, foreign),
        404,
        100009,
        "not found: device prodA/d1 not found");
  }

  /**
   * An app user calls with its own token (as the console does) the devices it may read, on its
   * own behalf: a numeric user id is the operator of the pushes that follow.
   */
  @Test
  void aUserCallsWithItsOwnTokenTheDevicesItMayReadAsItsOwnOperator() {
    String user = "1790000000000000001"; // a grant on p2
    Connection app = server.connectAs("alice");
    join(app.subscribe("deviceActionReport", params("productID", "prodA", "deviceName", "e1")));
    device = MqttDevice.online(server.mqttPort(), "prodA", "e1", "s");
    String onE1 = call("{}").replace("\"d1\"", "\"e1\"");

    CompletableFuture<HttpResult> answer =
        CompletableFuture.supplyAsync(
            () -> server.post(PATH, "Bearer " + server.tokenOf(user), onE1));
    String token = device.next().at("/payload/msgToken").asText();
    device.publish(
        device.topic("$thing/up/action"),
        "{\"method\":\"actionReply\",\"msgToken\":\"" + token + "\",\"code\":200,\"msg\":\"ok\"}");

    assertThat(join(answer).status()).isEqualTo(200);
    assertThat(Waits.pushes(app, 2))
        .allSatisfy(push -> assertThat(push.at("/body/operatorUserId").toString()).isEqualTo(user));

    expect(
        server.post(
            PATH, "Bearer " + server.tokenOf("bob"), call("{}").replace("\"d1\"", "\"d3\"")),
        403,
        100012,
        "insufficient privileges: device prodA/d3 not readable");
    expect(
        server.post(PATH, "Bearer " + server.token("wile").tenant("acme").sign(), onE1),
        404,
        100009,
        "not found: device prodA/e1 not found");
    expect(
        server.post(
            PATH, "Bearer " + server.tokenOf(user), onE1.replace("}}", "},\"operatorUserId\":7}")),
        403,
        100012,
        "insufficient privileges: with a user's token the operator is that user");
    expect(server.post(PATH, "Bearer a.b.c", onE1), 401, 100004, null);
  }

  /** As {@code curl -d} sends it: form Content-Type, or nothing at all. */
  @Test
  void aBodyIsJsonWhateverItsContentTypeAndAnEmptyOneIs400() {
    try (LogCapture log = new LogCapture()) {
      expect(
          server.http(
              "POST", PATH, "Bearer " + PLATFORM_KEY, null, HttpRequest.BodyPublishers.noBody()),
          400,
          100006,
          "parameter error: body must be a JSON object");
      expect(
          server.http(
              "POST",
              PATH,
              "Bearer " + PLATFORM_KEY,
              "application/x-www-form-urlencoded",
              HttpRequest.BodyPublishers.ofString(
                  "{\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d2\"},"
                      + "\"actionID\":\"reboot\",\"params\":{\"note\":\"100%\"}}")),
          400,
          100006,
          "parameter error: note: is not an input of action reboot");
      assertThat(log.at(Level.ERROR)).isEmpty();
    }
  }

  private static void expect(HttpResult r, int status, int code, String msg) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.json().get("code").asInt()).as("%s", r).isEqualTo(code);
    if (msg != null) {
      assertThat(r.json().get("msg").asText()).isEqualTo(msg);
    }
  }
}
