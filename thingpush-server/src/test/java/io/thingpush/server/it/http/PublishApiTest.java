package io.thingpush.server.it.http;

import static io.thingpush.client.testkit.TestConnections.awaitFrame;
import static io.thingpush.client.testkit.TestConnections.awaitPush;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.ACME_KEY;
import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static io.thingpush.server.it.TestServer.PUBLISH_PATH;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.LogCapture;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.TestServer.HttpResult;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The platform publish API (SPEC §8): its answers and refusals. */
class PublishApiTest {
  private static final String D1 = "\"device\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"}";
  @RegisterExtension static final TestServer server = TestServer.forClass();

  @Test
  void aGoodEventAnswers200WithItsSeq() {
    HttpResult first =
        publish(PLATFORM_KEY, "{\"code\":\"deviceConn\"," + D1 + ",\"payload\":{\"status\":1}}");
    HttpResult second =
        publish(PLATFORM_KEY, "{\"code\":\"deviceConn\"," + D1 + ",\"payload\":{\"status\":2}}");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).startsWith("application/json");
    assertJson(first.json(), "{'code':200,'msg':'success','seq':'*'}");
    assertThat(first.json().get("seq").isIntegralNumber()).isTrue();
    assertThat(second.json().get("seq").asLong()).isGreaterThan(first.json().get("seq").asLong());
  }

  @Test
  void aKeyOfATenantPublishesForThatTenantOnlyAndThePlatformKeyForAll() {
    String x1 =
        "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"prodX\",\"deviceName\":\"x1\"},\"payload\":{\"status\":1}}";
    String d1 = "{\"code\":\"deviceConn\"," + D1 + ",\"payload\":{\"status\":1}}";

    assertThat(publish(ACME_KEY, x1).status()).isEqualTo(200);
    assertThat(publish(PLATFORM_KEY, x1).status()).isEqualTo(200);
    HttpResult foreign = publish(ACME_KEY, d1);
    assertThat(foreign.status()).isEqualTo(404);
    assertJson(foreign.json(), "{'code':100009,'msg':'*'}");
  }

  @Test
  void anUnknownDeviceIs404() {
    for (String device :
        new String[] {
          "{\"productID\":\"prodA\",\"deviceName\":\"nope\"}",
          "{\"productID\":\"nope\",\"deviceName\":\"d1\"}"
        }) {
      HttpResult r =
          publish(
              PLATFORM_KEY,
              "{\"code\":\"deviceConn\",\"device\":" + device + ",\"payload\":{\"status\":1}}");
      assertThat(r.status()).as("%s", device).isEqualTo(404);
      assertJson(r.json(), "{'code':100009,'msg':'*'}");
    }
  }

  @Test
  void aMissingOrWrongKeyIs401() {
    String body = "{\"code\":\"deviceConn\"," + D1 + ",\"payload\":{\"status\":1}}";

    for (String authorization :
        new String[] {
          null,
          "Bearer nope",
          "Bearer ",
          "Basic cGxhdGZvcm0ta2V5LTE=",
          PLATFORM_KEY,
          "Bearer " + PLATFORM_KEY + "x"
        }) {
      HttpResult r = server.post(PUBLISH_PATH, authorization, body);
      assertThat(r.status()).as("Authorization: %s", authorization).isEqualTo(401);
      assertJson(r.json(), "{'code':100005,'msg':'*'}");
    }
  }

  @Test
  void refusalsAreCountedPerCode() {
    String unknownDevice = "thingpush_publish_refused_total{code=\"100009\",source=\"http\"}";
    String badKey = "thingpush_publish_refused_total{code=\"100005\",source=\"http\"}";
    double unknownBefore = server.metric(unknownDevice);
    double badKeyBefore = server.metric(badKey);

    publish(
        PLATFORM_KEY,
        "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"prodA\",\"deviceName\":\"nope\"},"
            + "\"payload\":{\"status\":1}}");
    publish(
        PLATFORM_KEY,
        "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"nope\",\"deviceName\":\"d1\"},"
            + "\"payload\":{\"status\":1}}");
    publish("nope-nope", "{\"code\":\"deviceConn\"," + D1 + ",\"payload\":{\"status\":1}}");

    assertThat(server.metric(unknownDevice)).isEqualTo(unknownBefore + 2);
    assertThat(server.metric(badKey)).isEqualTo(badKeyBefore + 1);
  }

  @Test
  void authenticationComesBeforeValidation() {
    HttpResult r = server.post(PUBLISH_PATH, "Bearer nope", "not json");

    assertThat(r.status()).isEqualTo(401);
    assertJson(r.json(), "{'code':100005,'msg':'*'}");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        bad("not JSON", "{\"code\":", null),
        bad("a JSON array", "[]", null),
        bad("no code", "{" + D1 + ",\"payload\":{\"status\":1}}", "code"),
        bad("unknown code", "{\"code\":\"nope\"," + D1 + ",\"payload\":{\"status\":1}}", "code"),
        bad("code a number", "{\"code\":5," + D1 + ",\"payload\":{\"status\":1}}", "code"),
        bad("no device", "{\"code\":\"deviceConn\",\"payload\":{\"status\":1}}", "device"),
        bad(
            "device without deviceName",
            "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"prodA\"},\"payload\":{\"status\":1}}",
            "deviceName"),
        bad(
            "empty productID",
            "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"\",\"deviceName\":\"d1\"},\"payload\":{\"status\":1}}",
            "productID"),
        bad("no payload", "{\"code\":\"deviceConn\"," + D1 + "}", "payload"),
        bad(
            "payload a string",
            "{\"code\":\"deviceConn\"," + D1 + ",\"payload\":\"x\"}",
            "payload"),
        payload("devicePropertyReport", "{\"param\":1}", "identifier"),
        payload("devicePropertyReport", "{\"identifier\":5,\"param\":1}", "identifier"),
        payload("devicePropertyReport", "{\"identifier\":\"temp\"}", "param"),
        payload("devicePropertyReportV2", "{}", "params"),
        payload("devicePropertyReportV2", "{\"params\":{}}", "params"),
        payload("devicePropertyReportV2", "{\"params\":\"temp\"}", "params"),
        payload("devicePublish", "{\"action\":\"report\",\"content\":\"c\"}", "topic"),
        payload("devicePublish", "{\"topic\":\"t\",\"action\":5,\"content\":\"c\"}", "action"),
        payload("devicePublish", "{\"topic\":\"t\",\"action\":\"report\"}", "content"),
        payload(
            "devicePublish",
            "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"c\",\"resultCode\":\"200\"}",
            "resultCode"),
        payload("deviceActionReport", "{\"dir\":\"up\",\"reqType\":\"req\"}", "actionID"),
        payload(
            "deviceActionReport",
            "{\"actionID\":\"a\",\"dir\":\"sideways\",\"reqType\":\"req\"}",
            "dir"),
        payload(
            "deviceActionReport",
            "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"request\"}",
            "reqType"),
        payload(
            "deviceActionReport",
            "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"req\",\"params\":\"x\"}",
            "params"),
        payload(
            "deviceActionReport",
            "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"req\",\"code\":\"200\"}",
            "code"),
        payload("deviceConn", "{}", "status"),
        payload("deviceConn", "{\"status\":3}", "status"),
        payload("deviceConn", "{\"status\":\"1\"}", "status"),
        payload("deviceOtaReport", "{\"step\":-5,\"status\":4}", "step"),
        payload("deviceOtaReport", "{\"step\":101,\"status\":4}", "step"),
        payload("deviceOtaReport", "{\"step\":1.5,\"status\":4}", "step"),
        payload("deviceOtaReport", "{\"step\":1,\"status\":0}", "status"),
        payload("deviceOtaReport", "{\"step\":1,\"status\":8}", "status"),
        payload("deviceConn", "{\"status\":1,\"timestamp\":\"abc\"}", "timestamp"),
        payload("deviceConn", "{\"status\":1,\"timestamp\":1.5}", "timestamp"),
        payload("deviceConn", "{\"status\":1,\"timestamp\":{}}", "timestamp"),
        payload("deviceConn", "{\"status\":1,\"timestamp\":-1}", "timestamp"));
  }

  /** 400 with {@code {"code":100006,"msg"}}; the msg names the field at fault. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedEventIs400NamingTheProblem(String what, String body, String field) {
    HttpResult r = publish(PLATFORM_KEY, body);

    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertJson(r.json(), "{'code':100006,'msg':'*'}");
    if (field != null) {
      assertThat(r.json().get("msg").asText()).as("msg of %s", r).contains(field);
    }
  }

  /**
   * {@code curl -d} sends {@code application/x-www-form-urlencoded}: the body is read as the JSON
   * it is whatever the Content-Type says, a {@code %} in it included.
   */
  @ParameterizedTest(name = "Content-Type: {0}")
  @ValueSource(
      strings = {
        "none",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x"
      })
  void theBodyIsReadAsJsonWhateverItsContentType(String contentType) {
    String body =
        "{\"code\":\"devicePropertyReport\","
            + D1
            + ",\"payload\":{\"identifier\":\"status\",\"param\":\"50% done\"}}";

    HttpResult r =
        server.http(
            "POST",
            PUBLISH_PATH,
            "Bearer " + PLATFORM_KEY,
            contentType.equals("none") ? null : contentType,
            HttpRequest.BodyPublishers.ofString(body));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertJson(r.json(), "{'code':200,'msg':'success','seq':'*'}");
  }

  @Test
  void anEmptyBodyIs400AndNoError() {
    try (LogCapture log = new LogCapture()) {
      HttpResult r =
          server.http(
              "POST",
              PUBLISH_PATH,
              "Bearer " + PLATFORM_KEY,
              null,
              HttpRequest.BodyPublishers.noBody());

      assertThat(r.status()).as("%s", r).isEqualTo(400);
      assertJson(r.json(), "{'code':100006,'msg':'parameter error: body must be a JSON object'}");
      assertThat(log.at(Level.ERROR)).isEmpty();
    }
  }

  /** Over 1 MiB, whether the length is declared or the body comes in chunks: 413 and the JSON error. */
  @ParameterizedTest(name = "chunked: {0}")
  @ValueSource(booleans = {false, true})
  void anOverSizeBodyIs413InJson(boolean chunked) {
    byte[] body =
        ("{\"code\":\"deviceConn\","
                + D1
                + ",\"payload\":{\"status\":1,\"x\":\""
                + "a".repeat(1024 * 1024)
                + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest.BodyPublisher publisher =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);

    HttpResult r =
        server.http("POST", PUBLISH_PATH, "Bearer " + PLATFORM_KEY, "application/json", publisher);

    assertThat(r.status()).as("%s", r).isEqualTo(413);
    assertThat(r.contentType()).startsWith("application/json");
    assertJson(
        r.json(),
        "{'code':100027,'msg':'limit reached: the request body is larger than 1048576 bytes'}");
  }

  @Test
  void noSuchPathAndAWrongMethodAnswerInJson() {
    HttpResult missing = server.post("/api/v1/push/nothing", "Bearer " + PLATFORM_KEY, "{}");
    HttpResult wrongMethod = server.http("DELETE", PUBLISH_PATH, "Bearer " + PLATFORM_KEY, null);

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/json");
    assertJson(
        missing.json(), "{'code':100009,'msg':'not found: no such path: /api/v1/push/nothing'}");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.contentType()).startsWith("application/json");
    assertJson(
        wrongMethod.json(),
        "{'code':100013,'msg':'method not supported: DELETE /api/v1/push/publish'}");
  }

  @Test
  void aRefusedEventIsNeverPushed() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k07"))),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");

    publish(
        PLATFORM_KEY,
        "{\"code\":\"deviceConn\",\"device\":{\"productID\":\"prodA\",\"deviceName\":\"k07\"},"
            + "\"payload\":{\"status\":3}}");
    long seq = server.publish("deviceConn", "prodA", "k07", "{\"status\":2}");

    assertThat(awaitPush(c, WAIT).get("seq").asLong()).isEqualTo(seq);
    assertThat(pushesSoFar(c)).hasSize(1);
  }

  /**
   * A payload that names a device itself (SPEC does not list such keys) is either refused as
   * malformed or pushed as an event of the device the request names — never of another one.
   */
  @Test
  void aPayloadNeverMakesThePushNameAnotherDevice() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("devicePublish", params("productID", "prodA", "deviceName", "k12"))),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k12"))),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");
    String k12 = "\"device\":{\"productID\":\"prodA\",\"deviceName\":\"k12\"}";

    HttpResult publish =
        publish(
            PLATFORM_KEY,
            "{\"code\":\"devicePublish\","
                + k12
                + ",\"payload\":{\"topic\":\"t\","
                + "\"action\":\"report\",\"content\":\"c\",\"productID\":\"prodX\",\"deviceName\":\"x1\"}}");
    assertOwnDeviceOrRefused(c, publish, "devicePublish");
    HttpResult conn =
        publish(
            PLATFORM_KEY,
            "{\"code\":\"deviceConn\","
                + k12
                + ",\"payload\":{\"status\":1,"
                + "\"device\":{\"productID\":\"prodX\",\"deviceName\":\"x1\"}}}");
    assertOwnDeviceOrRefused(c, conn, "deviceConn");
  }

  private static void assertOwnDeviceOrRefused(Connection c, HttpResult r, String code) {
    if (r.status() != 200) {
      assertThat(r.status()).as("%s", r).isEqualTo(400);
      assertJson(r.json(), "{'code':100006,'msg':'*'}");
      return;
    }
    long seq = r.json().get("seq").asLong();
    JsonNode push = awaitFrame(c, f -> f.path("seq").asLong() == seq, WAIT);
    JsonNode body = push.get("body");
    JsonNode named = code.equals("devicePublish") ? body : body.get("device");
    assertJson(code + " body " + body, named.get("productID"), "'prodA'");
    assertJson(code + " body " + body, named.get("deviceName"), "'k12'");
  }

  private static HttpResult publish(String key, String body) {
    return server.post(PUBLISH_PATH, "Bearer " + key, body);
  }

  private static Arguments bad(String what, String body, String field) {
    return Arguments.of(what, body, field);
  }

  private static Arguments payload(String code, String payload, String field) {
    return Arguments.of(
        code + " " + payload,
        "{\"code\":\"" + code + "\"," + D1 + ",\"payload\":" + payload + "}",
        field);
  }
}
