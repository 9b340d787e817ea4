package io.thingpush.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.LogUnavailableException;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DeviceMessagesTest {
  private static final String UP = "$thing/up/property/prod/d1";
  private static final String DOWN = "$thing/down/property/prod/d1";
  private final DeviceFixture f = new DeviceFixture();

  @Test
  void aValidReportIsPushedThenAcknowledged() {
    f.receive(
        UP,
        "{\"method\":\"report\",\"msgToken\":\"t1\",\"timestamp\":1700000000000,"
            + "\"params\":{\"temp\":21.5,\"on\":1}}");

    List<Event> events = f.events();
    assertThat(events)
        .extracting(Event::code)
        .containsExactly(
            SubCode.DEVICE_PUBLISH,
            SubCode.DEVICE_PROPERTY_REPORT,
            SubCode.DEVICE_PROPERTY_REPORT,
            SubCode.DEVICE_PROPERTY_REPORT_V2,
            SubCode.DEVICE_PUBLISH);
    String reply =
        "{\"method\":\"reportReply\",\"msgToken\":\"t1\",\"code\":200,\"msg\":\"success\"}";
    assertThat(f.device.sent).containsExactly(DOWN + " " + reply);
    JsonNode report = events.get(0).body();
    assertThat(report.get("topic").asText()).isEqualTo(UP);
    assertThat(report.get("action").asText()).isEqualTo("report");
    assertThat(report.get("requestID").asText()).isEqualTo("t1");
    assertThat(report.get("resultCode").asInt()).isEqualTo(200);
    assertThat(report.get("respPayload").asText()).isEqualTo(reply);
    assertThat(events.get(1).body().get("identifier").asText()).isEqualTo("temp");
    assertThat(events.get(1).body().get("timestamp").asText()).isEqualTo("1700000000000");
    assertThat(events.get(3).body().get("params").toString()).isEqualTo("{\"temp\":21.5,\"on\":1}");
    JsonNode replied = events.get(4).body();
    assertThat(replied.get("topic").asText()).isEqualTo(DOWN);
    assertThat(replied.get("action").asText()).isEqualTo("reportReply");
    assertThat(replied.get("content").asText()).isEqualTo(reply);
    assertThat(replied.get("traceID")).isEqualTo(report.get("traceID"));
  }

  @Test
  void aReportBreakingTheModelIsRefusedWhole() {
    f.receive(
        UP, "{\"method\":\"report\",\"msgToken\":\"t2\",\"params\":{\"temp\":21.5,\"on\":2}}");

    assertThat(f.events())
        .extracting(Event::code)
        .containsExactly(SubCode.DEVICE_PUBLISH, SubCode.DEVICE_PUBLISH);
    assertThat(f.device.sent)
        .containsExactly(
            DOWN
                + " {\"method\":\"reportReply\",\"msgToken\":\"t2\",\"code\":406,\"msg\":\"on: must be 0 or 1\"}");
    assertThat(f.events().get(0).body().get("resultCode").asInt()).isEqualTo(406);
  }

  @Test
  void malformedMessagesAndUnknownMethodsGetErrorReplies() {
    f.receive(UP, "not json");
    f.receive(UP, "{\"msgToken\":\"t3\",\"params\":{\"temp\":1}}");
    f.receive(UP, "{\"method\":\"report\",\"msgToken\":\"t4\",\"params\":{}}");
    f.receive(
        UP,
        "{\"method\":\"report\",\"msgToken\":\"t5\",\"timestamp\":\"soon\",\"params\":{\"temp\":1}}");
    f.receive(UP, "{\"method\":\"control\",\"msgToken\":\"t6\",\"params\":{\"temp\":1}}");

    assertThat(f.device.sent)
        .extracting(s -> s.substring(DOWN.length() + 1))
        .containsExactly(
            "{\"method\":\"reportReply\",\"msgToken\":\"\",\"code\":100006,"
                + "\"msg\":\"parameter error: the message is not a JSON object\"}",
            "{\"method\":\"reportReply\",\"msgToken\":\"t3\",\"code\":100006,"
                + "\"msg\":\"parameter error: method must be a non-empty string\"}",
            "{\"method\":\"reportReply\",\"msgToken\":\"t4\",\"code\":100006,"
                + "\"msg\":\"parameter error: params must be a non-empty object\"}",
            "{\"method\":\"reportReply\",\"msgToken\":\"t5\",\"code\":100006,\"msg\":\"parameter error: timestamp: "
                + "must be milliseconds since the epoch (an integer or a string of digits)\"}",
            "{\"method\":\"reportReply\",\"msgToken\":\"t6\",\"code\":100013,"
                + "\"msg\":\"method not supported: method control on $thing/up/property\"}");
    assertThat(f.events()).extracting(Event::code).containsOnly(SubCode.DEVICE_PUBLISH).hasSize(10);
    assertThat(f.events().get(0).body().get("action").asText()).isEqualTo("unknown");
    assertThat(f.events().get(0).body().get("content").asText()).isEqualTo("not json");
  }

  @Test
  void otaProgressBecomesAnOtaReport() {
    f.receive(
        "$ota/up/progress/prod/d1",
        "{\"method\":\"reportProgress\",\"params\":{\"step\":40,\"desc\":\"dl\"}}");
    f.receive(
        "$ota/up/progress/prod/d1", "{\"method\":\"reportProgress\",\"params\":{\"step\":100}}");
    f.receive(
        "$ota/up/progress/prod/d1",
        "{\"method\":\"reportProgress\",\"params\":{\"step\":-2,\"desc\":\"x\"}}");
    f.receive(
        "$ota/up/progress/prod/d1", "{\"method\":\"reportProgress\",\"params\":{\"step\":101}}");

    assertThat(f.described())
        .filteredOn(s -> s.startsWith("deviceOtaReport"))
        .extracting(s -> s.replaceAll("\"timestamp\":\"\\d+\",", ""))
        .containsExactly(
            "deviceOtaReport {\"device\":{\"productID\":\"prod\",\"deviceName\":\"d1\"},\"step\":40,\"status\":4,\"detail\":\"dl\"}",
            "deviceOtaReport {\"device\":{\"productID\":\"prod\",\"deviceName\":\"d1\"},\"step\":100,\"status\":5,\"detail\":\"\"}",
            "deviceOtaReport {\"device\":{\"productID\":\"prod\",\"deviceName\":\"d1\"},\"step\":-2,\"status\":6,\"detail\":\"x\"}");
    assertThat(f.events().get(f.events().size() - 1).body().get("resultCode").asInt())
        .isEqualTo(100006);
    assertThat(f.device.sent).isEmpty();
  }

  @Test
  void anActionCallWaitsForTheMatchingReply() throws Exception {
    f.presence.online("prod", "d1", f.device);
    CompletableFuture<?> call =
        f.calls.call(
            null,
            "prod",
            "d1",
            "reboot",
            DeviceFixture.json("{\"delaySec\":5}"),
            null,
            Duration.ofSeconds(5));

    assertThat(f.device.sent).hasSize(1);
    String sent = f.device.sent.get(0);
    assertThat(sent)
        .startsWith("$thing/down/action/prod/d1 {\"method\":\"action\",\"msgToken\":\"");
    String token =
        DeviceFixture.json(sent.substring(sent.indexOf(' ') + 1)).get("msgToken").asText();
    f.receive(
        "$thing/up/action/prod/d1",
        "{\"method\":\"actionReply\",\"msgToken\":\""
            + token
            + "\",\"code\":200,\"msg\":\"ok\",\"params\":{\"took\":3}}");

    assertThat(call.get().toString()).contains("\"msg\":\"ok\"");
    List<Event> actions =
        f.events().stream().filter(e -> e.code() == SubCode.DEVICE_ACTION_REPORT).toList();
    assertThat(actions)
        .extracting(
            e ->
                e.body().get("dir").asText()
                    + "/"
                    + e.body().get("reqType").asText()
                    + " "
                    + e.body().get("actionID").asText()
                    + " "
                    + e.body().get("params")
                    + " "
                    + e.body().get("code"))
        .containsExactly("down/req reboot {\"delaySec\":5} 200", "up/resp reboot {\"took\":3} 200");
  }

  @Test
  void anActionCallsOperatorIsOnItsActionReportsAsANumberWithEveryDigit() throws Exception {
    f.presence.online("prod", "d1", f.device);
    f.calls.call(null, "prod", "d1", "reboot", null, 1790000000000000001L, Duration.ofSeconds(5));
    String token =
        DeviceFixture.json(f.device.sent.get(0).substring(f.device.sent.get(0).indexOf(' ') + 1))
            .get("msgToken")
            .asText();
    f.receive(
        "$thing/up/action/prod/d1",
        "{\"method\":\"actionReply\",\"msgToken\":\"" + token + "\",\"code\":200,\"msg\":\"ok\"}");

    List<Event> actions =
        f.events().stream().filter(e -> e.code() == SubCode.DEVICE_ACTION_REPORT).toList();
    assertThat(actions)
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.body().get("operatorUserId").isIntegralNumber()).isTrue();
              assertThat(e.body().get("operatorUserId").toString())
                  .isEqualTo("1790000000000000001");
            });
    assertThat(f.events())
        .filteredOn(e -> e.code() == SubCode.DEVICE_PUBLISH)
        .allSatisfy(e -> assertThat(e.body().has("operatorUserId")).isFalse());
  }

  @Test
  void aControlIsCheckedSentAndItsSuccessfulReplyReportsTheValuesWithTheOperator()
      throws Exception {
    f.presence.online("prod", "d1", f.device);
    assertThatThrownBy(
            () ->
                f.controls.control(
                    null,
                    "prod",
                    "d1",
                    DeviceFixture.json("{\"temp\":500}"),
                    7L,
                    Duration.ofSeconds(1)))
        .isInstanceOf(ModelViolation.class)
        .hasMessageContaining("temp");
    assertThat(f.device.sent).as("nothing sent when the model refuses").isEmpty();

    CompletableFuture<?> control =
        f.controls.control(
            null, "prod", "d1", DeviceFixture.json("{\"temp\":21.5}"), 7L, Duration.ofSeconds(5));

    String sent = f.device.sent.get(0);
    assertThat(sent)
        .startsWith("$thing/down/property/prod/d1 {\"method\":\"control\",\"msgToken\":\"")
        .endsWith("\"params\":{\"temp\":21.5}}");
    String token =
        DeviceFixture.json(sent.substring(sent.indexOf(' ') + 1)).get("msgToken").asText();
    f.receive(
        "$thing/up/property/prod/d1",
        "{\"method\":\"controlReply\",\"msgToken\":\"" + token + "\",\"code\":200,\"msg\":\"ok\"}");

    assertThat(control.get().toString()).contains("\"method\":\"controlReply\"");
    List<Event> reports =
        f.events().stream()
            .filter(
                e ->
                    e.code() == SubCode.DEVICE_PROPERTY_REPORT
                        || e.code() == SubCode.DEVICE_PROPERTY_REPORT_V2)
            .toList();
    assertThat(reports)
        .extracting(e -> e.code().wire() + " " + e.body().get("operatorUserId"))
        .containsExactly("devicePropertyReport 7", "devicePropertyReportV2 7");
    assertThat(reports.get(0).body().get("param").asDouble()).isEqualTo(21.5);
  }

  @Test
  void aRefusedControlReportsNothingAndALateReplyIsOnlyRecorded() throws Exception {
    f.presence.online("prod", "d1", f.device);
    f.controls.control(
        null, "prod", "d1", DeviceFixture.json("{\"temp\":1}"), null, Duration.ofSeconds(5));
    String sent = f.device.sent.get(0);
    String token =
        DeviceFixture.json(sent.substring(sent.indexOf(' ') + 1)).get("msgToken").asText();

    f.receive(
        "$thing/up/property/prod/d1",
        "{\"method\":\"controlReply\",\"msgToken\":\""
            + token
            + "\",\"code\":406,\"msg\":\"busy\"}");
    f.receive(
        "$thing/up/property/prod/d1",
        "{\"method\":\"controlReply\",\"msgToken\":\""
            + token
            + "\",\"code\":200,\"msg\":\"late\"}");

    assertThat(f.events()).noneMatch(e -> e.code() == SubCode.DEVICE_PROPERTY_REPORT);
    assertThat(f.events().get(f.events().size() - 1).body().get("resultCode").asInt())
        .isEqualTo(100009);
  }

  @Test
  void anActionCallIsCheckedAndTimesOut() {
    assertThatThrownBy(
            () -> f.calls.call(null, "prod", "d1", "reboot", null, null, Duration.ofSeconds(1)))
        .isInstanceOf(ThingPushException.class)
        .hasMessageContaining("is not connected");
    f.presence.online("prod", "d1", f.device);
    assertThatThrownBy(
            () ->
                f.calls.call(
                    null,
                    "prod",
                    "d1",
                    "reboot",
                    DeviceFixture.json("{\"delaySec\":61}"),
                    null,
                    Duration.ofSeconds(1)))
        .isInstanceOf(ThingPushException.class)
        .hasMessage("delaySec: 61 is above the maximum 60");
    assertThatThrownBy(
            () -> f.calls.call(null, "prod", "d1", "explode", null, null, Duration.ofSeconds(1)))
        .isInstanceOf(ThingPushException.class)
        .hasMessageContaining("action explode");
    assertThatThrownBy(
            () -> f.calls.call("acme", "prod", "d1", "reboot", null, null, Duration.ofSeconds(1)))
        .isInstanceOf(ThingPushException.class)
        .hasMessage("device prod/d1 not found");

    CompletableFuture<?> call =
        f.calls.call(null, "prod", "d1", "reboot", null, null, Duration.ofMillis(50));
    assertThatThrownBy(call::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void aDeviceInitiatedActionIsPushedAndAnswered() {
    f.receive(
        "$thing/up/action/prod/d1",
        "{\"method\":\"action\",\"msgToken\":\"a1\",\"actionID\":\"reboot\","
            + "\"params\":{\"delaySec\":1}}");
    f.receive(
        "$thing/up/action/prod/d1",
        "{\"method\":\"action\",\"msgToken\":\"a2\",\"actionID\":\"reboot\","
            + "\"params\":{\"delaySec\":-1}}");

    assertThat(f.events())
        .extracting(e -> e.code().wire())
        .containsExactly(
            "devicePublish",
            "deviceActionReport",
            "devicePublish",
            "devicePublish",
            "devicePublish");
    assertThat(f.device.sent)
        .containsExactly(
            "$thing/down/action/prod/d1 {\"method\":\"actionReply\",\"msgToken\":\"a1\",\"actionID\":\"reboot\","
                + "\"code\":200,\"msg\":\"success\"}",
            "$thing/down/action/prod/d1 {\"method\":\"actionReply\",\"msgToken\":\"a2\",\"actionID\":\"reboot\","
                + "\"code\":406,\"msg\":\"delaySec: -1 is below the minimum 0\"}");
  }

  @Test
  void aReplyNoCallWaitsForIsOnlyRecorded() {
    f.receive(
        "$thing/up/action/prod/d1",
        "{\"method\":\"actionReply\",\"msgToken\":\"late\",\"code\":200}");

    assertThat(f.events()).extracting(e -> e.code().wire()).containsExactly("devicePublish");
    assertThat(f.events().get(0).body().get("resultCode").asInt()).isEqualTo(100009);
    assertThat(f.device.sent).isEmpty();
  }

  @Test
  void anUnknownDeviceIsNotFoundAndNothingHappens() {
    assertThat(f.receive("$thing/up/property/prod/nope", "{}"))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ThingPushException.class);
    assertThat(f.events()).isEmpty();
  }

  @Test
  void theReplyWaitsUntilTheLogHoldsTheReportsEvents() {
    DeviceFixture cluster = new DeviceFixture(true);
    CompletableFuture<Void> taken =
        cluster.receive(UP, "{\"method\":\"report\",\"msgToken\":\"t9\",\"params\":{\"on\":1}}");

    assertThat(cluster.device.sent).isEmpty();
    assertThat(taken).isNotDone();

    cluster.held.release();

    assertThat(cluster.device.sent)
        .containsExactly(
            DOWN
                + " {\"method\":\"reportReply\",\"msgToken\":\"t9\",\"code\":200,\"msg\":\"success\"}");
    assertThat(taken).isCompleted();
    assertThat(cluster.events())
        .extracting(Event::code)
        .containsExactly(
            SubCode.DEVICE_PUBLISH,
            SubCode.DEVICE_PROPERTY_REPORT,
            SubCode.DEVICE_PROPERTY_REPORT_V2,
            SubCode.DEVICE_PUBLISH);
  }

  @Test
  void aReportTheLogCannotTakeIsNeitherAnsweredNorTakenIn() {
    DeviceFixture cluster = new DeviceFixture(true);
    cluster.held.refuse();

    assertThat(
            cluster.receive(
                UP, "{\"method\":\"report\",\"msgToken\":\"t9\",\"params\":{\"on\":1}}"))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(LogUnavailableException.class);
    assertThat(cluster.device.sent).isEmpty();
  }

  @Test
  void aCallGoesToTheDeviceOnlyOnceTheLogHoldsIt() {
    DeviceFixture cluster = new DeviceFixture(true);
    cluster.presence.online("prod", "d1", cluster.device);
    cluster.held.release();
    CompletableFuture<?> call =
        cluster.calls.call(null, "prod", "d1", "reboot", null, null, Duration.ofSeconds(5));

    assertThat(cluster.device.sent).isEmpty();
    cluster.held.release();
    assertThat(cluster.device.sent)
        .singleElement()
        .asString()
        .startsWith("$thing/down/action/prod/d1 ");

    cluster.held.refuse();
    assertThat(cluster.calls.call(null, "prod", "d1", "reboot", null, null, Duration.ofSeconds(5)))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(LogUnavailableException.class);
    assertThat(cluster.device.sent).hasSize(1);
    assertThat(call).isNotDone();
  }
}
