package io.thingpush.server.it.subscription;

import static io.thingpush.client.testkit.TestConnections.awaitPush;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.Jsons;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §2–§3 for events entering through the publish API: each of the six codes under each
 * params shape, the exact {@code down.pub} frame and body, {@code seq} and {@code timestamp}.
 *
 * <p>"Nothing else was pushed" is checked without waiting for time to pass: the unwanted events
 * are published first, then the wanted one; pushes reach a connection in {@code seq} order, so
 * once the wanted push arrived an unwanted one would have arrived before it.
 */
class DeliveryTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  // ---- the matrix: six codes x four params shapes

  /** A payload with every field SPEC §3 names for the code, and the body it must push. */
  record Sample(
      String code, String payload, String body, String otherProperty, String bodyOfTempOnly) {}

  static final Map<String, Sample> SAMPLES =
      Map.of(
          "devicePropertyReport",
          new Sample(
              "devicePropertyReport",
              "{'identifier':'temp','param':21.5,'timestamp':1700000000001}",
              "{'device':DEV,'timestamp':'1700000000001','identifier':'temp','param':21.5}",
              "{'identifier':'hum','param':40,'timestamp':1700000000011}",
              "{'device':DEV,'timestamp':'1700000000001','identifier':'temp','param':21.5}"),
          "devicePropertyReportV2",
          new Sample(
              "devicePropertyReportV2",
              "{'params':{'temp':21.5,'hum':40},'timestamp':'1700000000002'}",
              "{'device':DEV,'timestamp':'1700000000002','params':{'temp':21.5,'hum':40}}",
              "{'params':{'hum':41},'timestamp':'1700000000012'}",
              "{'device':DEV,'timestamp':'1700000000002','params':{'temp':21.5}}"),
          "devicePublish",
          new Sample(
              "devicePublish",
              "{'topic':'$thing/up/property/prodA/NAME','action':'report',"
                  + "'content':'{\"method\":\"report\",\"params\":{\"temp\":21.5}}','requestID':'req-1',"
                  + "'traceID':'trace-1','resultCode':200,'respPayload':'{\"code\":200}','timestamp':1700000000003}",
              "{'productID':'prodA','deviceName':'NAME','content':'{\"method\":\"report\",\"params\":{\"temp\":21.5}}',"
                  + "'topic':'$thing/up/property/prodA/NAME','action':'report','timestamp':'1700000000003',"
                  + "'requestID':'req-1','traceID':'trace-1','resultCode':200,'respPayload':'{\"code\":200}'}",
              null,
              null),
          "deviceActionReport",
          new Sample(
              "deviceActionReport",
              "{'actionID':'reboot','dir':'down','reqType':'req','msgToken':'tok-1','params':{'delay':5},"
                  + "'code':200,'msg':'ok','timestamp':1700000000004}",
              "{'device':DEV,'msgToken':'tok-1','timestamp':'1700000000004','actionID':'reboot',"
                  + "'params':{'delay':5},'code':200,'msg':'ok','dir':'down','reqType':'req'}",
              null,
              null),
          "deviceConn",
          new Sample(
              "deviceConn",
              "{'status':1,'timestamp':1700000000005}",
              "{'device':DEV,'timestamp':'1700000000005','status':1}",
              null,
              null),
          "deviceOtaReport",
          new Sample(
              "deviceOtaReport",
              "{'step':42,'status':4,'detail':'downloading','timestamp':1700000000006}",
              "{'device':DEV,'timestamp':'1700000000006','status':4,'detail':'downloading','step':42}",
              null,
              null));

  static Stream<Arguments> codesAndShapes() {
    List<Arguments> cases = new ArrayList<>();
    for (String code :
        List.of(
            "devicePropertyReport",
            "devicePropertyReportV2",
            "devicePublish",
            "deviceActionReport",
            "deviceConn",
            "deviceOtaReport")) {
      if (code.startsWith("devicePropertyReport")) {
        cases.add(Arguments.of(code, "property"));
      }
      cases.add(Arguments.of(code, "device"));
      cases.add(Arguments.of(code, "project"));
      cases.add(Arguments.of(code, "area"));
    }
    return cases.stream();
  }

  /**
   * In project {@code pm}: {@code mdev11} sits in area {@code m11} (under {@code m1}),
   * {@code mdev2} in the sibling area {@code m2}; {@code e1} is in another project.
   */
  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("codesAndShapes")
  void eachCodeAndShapeDeliversTheExactPush(String code, String shape) {
    Sample sample = SAMPLES.get(code);
    Connection c = server.connectAs("alice");
    Map<String, Object> params =
        switch (shape) {
          case "property" ->
              params("productID", "prodA", "deviceName", "mdev11", "identifier", "temp");
          case "device" -> params("productID", "prodA", "deviceName", "mdev11");
          case "project" -> params("projectID", "pm");
          default -> params("projectID", "pm", "areaID", "m1");
        };
    assertJson(join(c.subscribe(code, params)), OK_SUB);

    String outsider = shape.equals("project") ? "e1" : "mdev2";
    server.publish(code, "prodA", outsider, payload(sample.payload(), outsider));
    if (shape.equals("property")) {
      server.publish(code, "prodA", "mdev11", payload(sample.otherProperty(), "mdev11"));
    }
    long seq = server.publish(code, "prodA", "mdev11", payload(sample.payload(), "mdev11"));

    String body = shape.equals("property") ? sample.bodyOfTempOnly() : sample.body();
    assertJson(awaitPush(c, WAIT), pub(code, seq, body(body, "mdev11")));
    assertThat(pushesSoFar(c)).hasSize(1);
  }

  // ---- bodies of minimal payloads: what the server adds

  static final Map<String, Set<String>> SHAPES =
      Map.of(
          "devicePropertyReport", Set.of("device", "timestamp", "identifier", "param"),
          "devicePropertyReportV2", Set.of("device", "timestamp", "params"),
          "devicePublish",
              Set.of(
                  "productID",
                  "deviceName",
                  "content",
                  "topic",
                  "action",
                  "timestamp",
                  "requestID",
                  "traceID",
                  "resultCode",
                  "respPayload"),
          "deviceActionReport",
              Set.of(
                  "device",
                  "msgToken",
                  "timestamp",
                  "actionID",
                  "params",
                  "code",
                  "msg",
                  "dir",
                  "reqType"),
          "deviceConn", Set.of("device", "timestamp", "status"),
          "deviceOtaReport", Set.of("device", "timestamp", "status", "detail", "step"));

  static Stream<Arguments> minimalPayloads() {
    return Stream.of(
        Arguments.of(
            "devicePropertyReport",
            "{'identifier':'label','param':'hello'}",
            "{'device':DEV,'timestamp':'*','identifier':'label','param':'hello'}"),
        Arguments.of(
            "devicePropertyReportV2",
            "{'params':{'power':1}}",
            "{'device':DEV,'timestamp':'*','params':{'power':1}}"),
        Arguments.of(
            "devicePublish",
            "{'topic':'$thing/down/action/prodA/k08','action':'action','content':'{}'}",
            "{'productID':'prodA','deviceName':'k08','topic':'$thing/down/action/prodA/k08','action':'action',"
                + "'content':'{}','timestamp':'*','traceID':'*'}"),
        Arguments.of(
            "deviceActionReport",
            "{'actionID':'open','dir':'up','reqType':'resp'}",
            "{'device':DEV,'timestamp':'*','actionID':'open','dir':'up','reqType':'resp'}"),
        Arguments.of("deviceConn", "{'status':2}", "{'device':DEV,'timestamp':'*','status':2}"),
        Arguments.of(
            "deviceOtaReport",
            "{'step':-1,'status':6}",
            "{'device':DEV,'timestamp':'*','step':-1,'status':6}"));
  }

  /**
   * Only required fields given: the push holds them, a {@code timestamp} of the ingest time (a
   * digit string), for {@code devicePublish} a new {@code traceID}, and no key outside the
   * code's §3 shape. (Whether optional fields the platform left out appear, e.g. as empty
   * strings, SPEC does not say: they may, but only keys of the shape.)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("minimalPayloads")
  void aMinimalPayloadIsCompletedWithTimestampAndTraceId(
      String code, String payload, String required) {
    Connection c = server.connectAs("alice");
    assertJson(join(c.subscribe(code, params("productID", "prodA", "deviceName", "k08"))), OK_SUB);
    long before = System.currentTimeMillis();

    long seq = server.publish(code, "prodA", "k08", Jsons.json(payload).toString());

    long after = System.currentTimeMillis();
    JsonNode push = awaitPush(c, WAIT);
    JsonNode expectedBody = Jsons.json(body(required, "k08"));
    assertJson(
        push,
        "{'code':200,'msg':'成功','type':'down.pub','path':'"
            + code
            + "','seq':"
            + seq
            + ",'body':'*'}");
    JsonNode body = push.get("body");
    assertThat(keys(body))
        .as("keys of %s", body)
        .containsAll(keys(expectedBody))
        .isSubsetOf(SHAPES.get(code));
    for (String key : keys(expectedBody)) {
      assertJson(body.get(key), expectedBody.get(key));
    }
    assertThat(body.get("timestamp").textValue()).as("timestamp of %s", body).matches("[0-9]+");
    assertThat(Long.parseLong(body.get("timestamp").textValue())).isBetween(before, after);
    if (code.equals("devicePublish")) {
      assertThat(body.get("traceID").textValue()).as("traceID of %s", body).isNotBlank();
    }
  }

  @Test
  void aTimestampGivenAsNumberOrDigitStringIsPushedAsTheSameDigitString() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k09"))), OK_SUB);

    long s1 =
        server.publish(
            "deviceConn", "prodA", "k09", "{\"status\":1,\"timestamp\":\"1700000000123\"}");
    long s2 =
        server.publish("deviceConn", "prodA", "k09", "{\"status\":2,\"timestamp\":1700000000124}");

    assertJson(
        awaitPush(c, WAIT),
        pub(
            "deviceConn",
            s1,
            body("{'device':DEV,'timestamp':'1700000000123','status':1}", "k09")));
    assertJson(
        awaitPush(c, WAIT),
        pub(
            "deviceConn",
            s2,
            body("{'device':DEV,'timestamp':'1700000000124','status':2}", "k09")));
  }

  @Test
  void propertyValuesKeepTheirJsonType() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe("devicePropertyReport", params("productID", "prodA", "deviceName", "k09"))),
        OK_SUB);

    long s1 =
        server.publish(
            "devicePropertyReport",
            "prodA",
            "k09",
            "{\"identifier\":\"power\",\"param\":1,\"timestamp\":1}");
    long s2 =
        server.publish(
            "devicePropertyReport",
            "prodA",
            "k09",
            "{\"identifier\":\"label\",\"param\":\"on\",\"timestamp\":2}");
    long s3 =
        server.publish(
            "devicePropertyReport",
            "prodA",
            "k09",
            "{\"identifier\":\"hum\",\"param\":55,\"timestamp\":3}");

    assertJson(
        awaitPush(c, WAIT),
        pub(
            "devicePropertyReport",
            s1,
            body("{'device':DEV,'timestamp':'1','identifier':'power','param':1}", "k09")));
    assertJson(
        awaitPush(c, WAIT),
        pub(
            "devicePropertyReport",
            s2,
            body("{'device':DEV,'timestamp':'2','identifier':'label','param':'on'}", "k09")));
    assertJson(
        awaitPush(c, WAIT),
        pub(
            "devicePropertyReport",
            s3,
            body("{'device':DEV,'timestamp':'3','identifier':'hum','param':55}", "k09")));
  }

  @Test
  void eachPushCarriesItsEventsSeqWhichOnlyGrows() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("deviceOtaReport", params("productID", "prodA", "deviceName", "k10"))),
        OK_SUB);
    List<Long> published = new ArrayList<>();

    for (int step = 0; step <= 100; step += 25) {
      published.add(
          server.publish(
              "deviceOtaReport", "prodA", "k10", "{\"step\":" + step + ",\"status\":4}"));
    }

    List<Long> pushed = new ArrayList<>();
    for (int i = 0; i < published.size(); i++) {
      JsonNode push = awaitPush(c, WAIT);
      pushed.add(push.get("seq").asLong());
      assertThat(push.path("body").path("step").asInt()).isEqualTo(i * 25);
    }
    assertThat(pushed).isEqualTo(published).isSorted().doesNotHaveDuplicates();
    assertThat(c.lastSeq()).isEqualTo(published.get(published.size() - 1));
  }

  @Test
  void aPushListenerSeesEveryPush() {
    Connection c = server.connectAs("alice");
    List<JsonNode> pushes = new CopyOnWriteArrayList<>();
    c.onPush(pushes::add);
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k11"))), OK_SUB);

    long s1 = server.publish("deviceConn", "prodA", "k11", "{\"status\":1}");
    long s2 = server.publish("deviceConn", "prodA", "k11", "{\"status\":2}");

    Waits.await().until(() -> pushes.size() == 2);
    assertThat(pushes).extracting(p -> p.get("seq").asLong()).containsExactly(s1, s2);
    assertThat(pushesSoFar(c)).isEqualTo(pushes);
  }

  // ---- helpers

  /** Replaces {@code NAME} by the device name (payloads carry it in topics). */
  private static String payload(String template, String deviceName) {
    return Jsons.json(template.replace("NAME", deviceName)).toString();
  }

  /** Replaces {@code DEV} by the device object and {@code NAME} by the device name. */
  static String body(String template, String deviceName) {
    return template
        .replace("DEV", "{'productID':'prodA','deviceName':'" + deviceName + "'}")
        .replace("NAME", deviceName);
  }

  static String pub(String code, long seq, String body) {
    return "{'code':200,'msg':'成功','type':'down.pub','path':'"
        + code
        + "','seq':"
        + seq
        + ",'body':"
        + body
        + "}";
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }
}
