package io.thingpush.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code body} of each {@code down.pub} (SPEC §3), from the payload a source hands in. */
class PayloadsTest {
  private static final String PRODUCT = "k0sr6A5BMbN";
  private static final String DEVICE = "cB05016F7";
  private static final long NOW = 1_717_000_000_123L;
  private static final String NEW_TRACE = "0af7651916cd43dd8448eb211c80319c";

  private final AtomicInteger traceCalls = new AtomicInteger();
  private final Supplier<String> traceIds =
      () -> {
        traceCalls.incrementAndGet();
        return NEW_TRACE;
      };

  private static JsonNode json(String text) {
    JsonNode node = Json.parseOrNull(text);
    assertThat(node).as("test input must be JSON: %s", text).isNotNull();
    return node;
  }

  private ObjectNode body(SubCode code, String payload) {
    return Payloads.body(code, PRODUCT, DEVICE, json(payload), NOW, traceIds);
  }

  private ThingPushException refusal(SubCode code, String payload) {
    Throwable t = catchThrowable(() -> body(code, payload));
    assertThat(t)
        .as("expected 100006 for %s %s", code, payload)
        .isInstanceOf(ThingPushException.class);
    ThingPushException e = (ThingPushException) t;
    assertThat(e.code()).as("code for %s %s", code, payload).isEqualTo(ErrorCode.PARAMETER);
    return e;
  }

  // ---- the six bodies ------------------------------------------------------------------------

  @Test
  void aPlatformsOperatorIsKeptAsGivenWithEveryDigit() {
    ObjectNode body =
        body(
            SubCode.DEVICE_PROPERTY_REPORT,
            "{\"identifier\":\"temp\",\"param\":1,\"operatorUserId\":1790000000000000001}");

    assertThat(body.get("operatorUserId").isIntegralNumber()).isTrue();
    assertThat(body.get("operatorUserId").toString()).isEqualTo("1790000000000000001");
  }

  @Test
  void devicePropertyReportBody() {
    ObjectNode body =
        body(
            SubCode.DEVICE_PROPERTY_REPORT,
            "{\"identifier\":\"temp\",\"param\":23.5,\"timestamp\":1716999999000}");

    assertThat(body)
        .isEqualTo(
            json(
                "{\"device\":{\"productID\":\"k0sr6A5BMbN\",\"deviceName\":\"cB05016F7\"},"
                    + "\"timestamp\":\"1716999999000\",\"identifier\":\"temp\",\"param\":23.5}"));
  }

  @Test
  void devicePropertyReportParamMayBeAStructObjectAStringOrZero() {
    assertThat(
            body(
                    SubCode.DEVICE_PROPERTY_REPORT,
                    "{\"identifier\":\"gps\",\"param\":{\"lat\":31.2,\"lng\":121.5}}")
                .get("param"))
        .isEqualTo(json("{\"lat\":31.2,\"lng\":121.5}"));
    assertThat(
            body(SubCode.DEVICE_PROPERTY_REPORT, "{\"identifier\":\"name\",\"param\":\"hall\"}")
                .get("param"))
        .isEqualTo(json("\"hall\""));
    assertThat(
            body(SubCode.DEVICE_PROPERTY_REPORT, "{\"identifier\":\"on\",\"param\":0}")
                .get("param"))
        .isEqualTo(json("0"));
  }

  @Test
  void devicePropertyReportV2Body() {
    ObjectNode body =
        body(
            SubCode.DEVICE_PROPERTY_REPORT_V2,
            "{\"params\":{\"temp\":23.5,\"hum\":40,\"on\":1},\"timestamp\":\"1716999999000\"}");

    assertThat(body)
        .isEqualTo(
            json(
                "{\"device\":{\"productID\":\"k0sr6A5BMbN\",\"deviceName\":\"cB05016F7\"},"
                    + "\"timestamp\":\"1716999999000\",\"params\":{\"temp\":23.5,\"hum\":40,\"on\":1}}"));
  }

  @Test
  void devicePublishBodyHasTopLevelProductAndDeviceAndANewTraceId() {
    ObjectNode body =
        body(
            SubCode.DEVICE_PUBLISH,
            "{\"topic\":\"$thing/up/property/k0sr6A5BMbN/cB05016F7\",\"action\":\"report\","
                + "\"content\":\"{\\\"method\\\":\\\"report\\\",\\\"params\\\":{\\\"temp\\\":23.5}}\","
                + "\"requestID\":\"r-1\",\"resultCode\":200,\"respPayload\":\"\",\"timestamp\":1716999999000}");

    assertThat(body)
        .isEqualTo(
            json(
                "{\"productID\":\"k0sr6A5BMbN\",\"deviceName\":\"cB05016F7\","
                    + "\"content\":\"{\\\"method\\\":\\\"report\\\",\\\"params\\\":{\\\"temp\\\":23.5}}\","
                    + "\"topic\":\"$thing/up/property/k0sr6A5BMbN/cB05016F7\",\"action\":\"report\","
                    + "\"timestamp\":\"1716999999000\",\"requestID\":\"r-1\","
                    + "\"traceID\":\"0af7651916cd43dd8448eb211c80319c\",\"resultCode\":200,"
                    + "\"respPayload\":\"\"}"));
    assertThat(body.has("device")).isFalse();
    assertThat(traceCalls).hasValue(1);
  }

  @Test
  void devicePublishKeepsAGivenTraceIdAndDoesNotMintOne() {
    ObjectNode body =
        body(
            SubCode.DEVICE_PUBLISH,
            "{\"topic\":\"$thing/down/action/k0/d1\",\"action\":\"action\",\"content\":\"{}\","
                + "\"traceID\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");

    assertThat(body.get("traceID").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(traceCalls).hasValue(0);
  }

  @Test
  void devicePublishWithANullTraceIdGetsANewOne() {
    ObjectNode body =
        body(
            SubCode.DEVICE_PUBLISH,
            "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"x\",\"traceID\":null}");

    assertThat(body.get("traceID").asText()).isEqualTo(NEW_TRACE);
  }

  @Test
  void devicePublishBodyNeverNamesAnotherDeviceThanTheEvents() {
    // The body of a push must name the device the event is routed for; a payload that claims
    // another device is either refused or overridden, never pushed as is.
    Throwable t =
        catchThrowable(
            () ->
                body(
                    SubCode.DEVICE_PUBLISH,
                    "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"x\","
                        + "\"productID\":\"otherProduct\",\"deviceName\":\"otherDevice\"}"));
    if (t != null) {
      assertThat(t).isInstanceOf(ThingPushException.class);
      assertThat(((ThingPushException) t).code()).isEqualTo(ErrorCode.PARAMETER);
      return;
    }
    ObjectNode body =
        body(
            SubCode.DEVICE_PUBLISH,
            "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"x\","
                + "\"productID\":\"otherProduct\",\"deviceName\":\"otherDevice\"}");
    assertThat(body.get("productID").asText()).isEqualTo(PRODUCT);
    assertThat(body.get("deviceName").asText()).isEqualTo(DEVICE);
  }

  @Test
  void deviceActionReportBody() {
    ObjectNode body =
        body(
            SubCode.DEVICE_ACTION_REPORT,
            "{\"msgToken\":\"m-7\",\"actionID\":\"openDoor\",\"params\":{\"door\":1},\"code\":200,"
                + "\"msg\":\"ok\",\"dir\":\"down\",\"reqType\":\"resp\",\"timestamp\":\"1716999999000\"}");

    assertThat(body)
        .isEqualTo(
            json(
                "{\"device\":{\"productID\":\"k0sr6A5BMbN\",\"deviceName\":\"cB05016F7\"},"
                    + "\"msgToken\":\"m-7\",\"timestamp\":\"1716999999000\",\"actionID\":\"openDoor\","
                    + "\"params\":{\"door\":1},\"code\":200,\"msg\":\"ok\",\"dir\":\"down\",\"reqType\":\"resp\"}"));
    assertThat(body.get("code").isNumber()).isTrue();
  }

  @Test
  void deviceActionReportAcceptsBothDirectionsAndBothRequestTypes() {
    for (String dir : new String[] {"up", "down"}) {
      for (String reqType : new String[] {"req", "resp"}) {
        ObjectNode body =
            body(
                SubCode.DEVICE_ACTION_REPORT,
                "{\"actionID\":\"reboot\",\"dir\":\""
                    + dir
                    + "\",\"reqType\":\""
                    + reqType
                    + "\"}");
        assertThat(body.get("dir").asText()).isEqualTo(dir);
        assertThat(body.get("reqType").asText()).isEqualTo(reqType);
      }
    }
  }

  @Test
  void deviceConnBody() {
    assertThat(body(SubCode.DEVICE_CONN, "{\"status\":1,\"timestamp\":1716999999000}"))
        .isEqualTo(
            json(
                "{\"device\":{\"productID\":\"k0sr6A5BMbN\",\"deviceName\":\"cB05016F7\"},"
                    + "\"timestamp\":\"1716999999000\",\"status\":1}"));
    assertThat(body(SubCode.DEVICE_CONN, "{\"status\":2}").get("status").asInt()).isEqualTo(2);
  }

  @Test
  void deviceOtaReportBody() {
    assertThat(
            body(
                SubCode.DEVICE_OTA_REPORT,
                "{\"status\":4,\"step\":42,\"detail\":\"downloading\",\"timestamp\":1716999999000}"))
        .isEqualTo(
            json(
                "{\"device\":{\"productID\":\"k0sr6A5BMbN\",\"deviceName\":\"cB05016F7\"},"
                    + "\"timestamp\":\"1716999999000\",\"status\":4,\"detail\":\"downloading\",\"step\":42}"));
  }

  @ParameterizedTest
  @ValueSource(ints = {-4, -3, -2, -1, 0, 100})
  void otaStepAcceptsProgressAndEachFailureCode(int step) {
    assertThat(
            body(SubCode.DEVICE_OTA_REPORT, "{\"status\":6,\"step\":" + step + "}")
                .get("step")
                .asInt())
        .isEqualTo(step);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void otaStatusAcceptsEveryIThingsStatus(int status) {
    assertThat(
            body(SubCode.DEVICE_OTA_REPORT, "{\"status\":" + status + ",\"step\":0}")
                .get("status")
                .asInt())
        .isEqualTo(status);
  }

  // ---- what is kept, what is added ----------------------------------------------------------

  @Test
  void fieldsTheSourceGaveAreKept() {
    ObjectNode body =
        body(
            SubCode.DEVICE_CONN,
            "{\"status\":1,\"clientIP\":\"10.0.0.7\",\"extra\":{\"reason\":\"boot\"}}");

    assertThat(body.get("clientIP").asText()).isEqualTo("10.0.0.7");
    assertThat(body.get("extra")).isEqualTo(json("{\"reason\":\"boot\"}"));
  }

  @Test
  void aPayloadDeviceObjectIsReplacedByTheEventsDevice() {
    ObjectNode body =
        body(
            SubCode.DEVICE_CONN,
            "{\"status\":1,\"device\":{\"productID\":\"x\",\"deviceName\":\"y\"}}");

    assertThat(body.get("device"))
        .isEqualTo(json("{\"productID\":\"k0sr6A5BMbN\",\"deviceName\":\"cB05016F7\"}"));
  }

  @Test
  void traceIdIsNotAddedToCodesOtherThanDevicePublish() {
    assertThat(body(SubCode.DEVICE_CONN, "{\"status\":1}").has("traceID")).isFalse();
    assertThat(
            body(SubCode.DEVICE_PROPERTY_REPORT, "{\"identifier\":\"t\",\"param\":1}")
                .has("traceID"))
        .isFalse();
    assertThat(traceCalls).hasValue(0);
  }

  // ---- timestamp -----------------------------------------------------------------------------

  @Test
  void timestampFromANumberBecomesADigitString() {
    JsonNode ts =
        body(SubCode.DEVICE_CONN, "{\"status\":1,\"timestamp\":1716999999000}").get("timestamp");

    assertThat(ts.isTextual()).isTrue();
    assertThat(ts.asText()).isEqualTo("1716999999000");
  }

  @Test
  void timestampGivenAsADigitStringIsKept() {
    JsonNode ts =
        body(SubCode.DEVICE_CONN, "{\"status\":1,\"timestamp\":\"1716999999000\"}")
            .get("timestamp");

    assertThat(ts.isTextual()).isTrue();
    assertThat(ts.asText()).isEqualTo("1716999999000");
  }

  @Test
  void missingOrNullTimestampDefaultsToNow() {
    assertThat(body(SubCode.DEVICE_CONN, "{\"status\":1}").get("timestamp").asText())
        .isEqualTo("1717000000123");
    assertThat(
            body(SubCode.DEVICE_CONN, "{\"status\":1,\"timestamp\":null}")
                .get("timestamp")
                .asText())
        .isEqualTo("1717000000123");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\"",
        "\"17a\"",
        "\" 1716999999000\"",
        "\"-1\"",
        "\"1.5\"",
        "-1",
        "1716999999000.5",
        "true",
        "{}",
        "[1716999999000]",
        "99999999999999999999999"
      })
  void badTimestampIs100006(String value) {
    ThingPushException e =
        refusal(SubCode.DEVICE_CONN, "{\"status\":1,\"timestamp\":" + value + "}");

    assertThat(e.detail()).contains("timestamp");
  }

  @Test
  void aNineteenDigitTimestampStringIsRefusedWith100006NotACrash() {
    // 19 digits that do not fit in a long.
    ThingPushException e =
        refusal(SubCode.DEVICE_CONN, "{\"status\":1,\"timestamp\":\"9999999999999999999\"}");

    assertThat(e.detail()).contains("timestamp");
  }

  // ---- required fields and types -------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"null", "[]", "\"x\"", "5"})
  void nonObjectPayloadIs100006(String payload) {
    for (SubCode code : SubCode.values()) {
      refusal(code, payload);
    }
  }

  @Test
  void missingPayloadIs100006() {
    for (SubCode code : SubCode.values()) {
      Throwable t = catchThrowable(() -> Payloads.body(code, PRODUCT, DEVICE, null, NOW, traceIds));
      assertThat(t).isInstanceOf(ThingPushException.class);
      assertThat(((ThingPushException) t).code()).isEqualTo(ErrorCode.PARAMETER);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"param\":1}",
        "{\"identifier\":\"\",\"param\":1}",
        "{\"identifier\":7,\"param\":1}",
        "{\"identifier\":\"temp\"}",
        "{\"identifier\":\"temp\",\"param\":null}"
      })
  void devicePropertyReportRequiresIdentifierAndParam(String payload) {
    refusal(SubCode.DEVICE_PROPERTY_REPORT, payload);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"params\":{}}",
        "{\"params\":[1]}",
        "{\"params\":\"temp=1\"}",
        "{\"params\":null}"
      })
  void devicePropertyReportV2RequiresANonEmptyParamsObject(String payload) {
    assertThat(refusal(SubCode.DEVICE_PROPERTY_REPORT_V2, payload).detail()).contains("params");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"action\":\"report\",\"content\":\"x\"}",
        "{\"topic\":\"t\",\"content\":\"x\"}",
        "{\"topic\":\"t\",\"action\":\"report\"}",
        "{\"topic\":5,\"action\":\"report\",\"content\":\"x\"}",
        "{\"topic\":\"t\",\"action\":true,\"content\":\"x\"}",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":{\"method\":\"report\"}}",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"x\",\"requestID\":5}",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"x\",\"traceID\":5}",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"x\",\"respPayload\":{}}",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"x\",\"resultCode\":\"200\"}",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"x\",\"resultCode\":200.5}"
      })
  void devicePublishRequiredFieldsAndTypes(String payload) {
    refusal(SubCode.DEVICE_PUBLISH, payload);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"dir\":\"up\",\"reqType\":\"req\"}",
        "{\"actionID\":\"\",\"dir\":\"up\",\"reqType\":\"req\"}",
        "{\"actionID\":\"a\",\"reqType\":\"req\"}",
        "{\"actionID\":\"a\",\"dir\":\"sideways\",\"reqType\":\"req\"}",
        "{\"actionID\":\"a\",\"dir\":\"UP\",\"reqType\":\"req\"}",
        "{\"actionID\":\"a\",\"dir\":\"up\"}",
        "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"request\"}",
        "{\"actionID\":\"a\",\"dir\":[\"up\"],\"reqType\":\"req\"}",
        "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"req\",\"code\":\"200\"}",
        "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"req\",\"msgToken\":7}",
        "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"req\",\"msg\":{}}",
        "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"req\",\"params\":\"x\"}"
      })
  void deviceActionReportRequiredFieldsAndTypes(String payload) {
    refusal(SubCode.DEVICE_ACTION_REPORT, payload);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"status\":0}",
        "{\"status\":3}",
        "{\"status\":\"1\"}",
        "{\"status\":1.0}",
        "{\"status\":true}"
      })
  void deviceConnStatusMustBeOneOrTwo(String payload) {
    assertThat(refusal(SubCode.DEVICE_CONN, payload).detail()).contains("status");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"status\":4}",
        "{\"step\":1}",
        "{\"status\":4,\"step\":101}",
        "{\"status\":4,\"step\":-5}",
        "{\"status\":0,\"step\":1}",
        "{\"status\":8,\"step\":1}",
        "{\"status\":\"4\",\"step\":1}",
        "{\"status\":4,\"step\":\"1\"}",
        "{\"status\":4,\"step\":1,\"detail\":5}"
      })
  void deviceOtaReportRequiredFieldsAndRanges(String payload) {
    refusal(SubCode.DEVICE_OTA_REPORT, payload);
  }
}
