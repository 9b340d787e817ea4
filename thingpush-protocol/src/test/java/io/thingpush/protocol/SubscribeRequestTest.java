package io.thingpush.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The body of {@code up.sub}/{@code up.unSub} (SPEC §2): shapes, options, and each refusal in order. */
class SubscribeRequestTest {

  private static JsonNode json(String text) {
    JsonNode node = Json.parseOrNull(text);
    assertThat(node).as("test input must be JSON: %s", text).isNotNull();
    return node;
  }

  private static SubscribeRequest parse(String body) {
    return SubscribeRequest.parse(json(body), null);
  }

  private static ThingPushException refusal(String body, String defaultProjectID) {
    ThingPushException e =
        catchThrowableOfType(
            ThingPushException.class, () -> SubscribeRequest.parse(json(body), defaultProjectID));
    assertThat(e).as("expected a refusal of %s", body).isNotNull();
    return e;
  }

  private static ThingPushException refusal(String body) {
    return refusal(body, null);
  }

  private static void assertParameterError(String body, String named) {
    ThingPushException e = refusal(body);
    assertThat(e.code()).as("code for %s", body).isEqualTo(ErrorCode.PARAMETER);
    assertThat(e.detail()).as("msg for %s", body).contains(named);
  }

  // ---- shapes -------------------------------------------------------------------------------

  @Test
  void propertyShapeNamesOneIdentifierOfOneDevice() {
    SubscribeRequest r =
        parse(
            "{\"code\":\"devicePropertyReport\",\"params\":{\"productID\":\"k0sr6A5BMbN\","
                + "\"deviceName\":\"cB05016F7\",\"identifier\":\"temp\"}}");

    assertThat(r.code()).isEqualTo(SubCode.DEVICE_PROPERTY_REPORT);
    assertThat(r.target()).isEqualTo(Target.property("k0sr6A5BMbN", "cB05016F7", "temp"));
    assertThat(r.since()).isNull();
    assertThat(r.snapshot()).isFalse();
    assertThat(r.throttleMs()).isNull();
  }

  @Test
  void propertyShapeIsAcceptedForV2Too() {
    SubscribeRequest r =
        parse(
            "{\"code\":\"devicePropertyReportV2\",\"params\":{\"productID\":\"k0\","
                + "\"deviceName\":\"d1\",\"identifier\":\"temp\"}}");

    assertThat(r.code()).isEqualTo(SubCode.DEVICE_PROPERTY_REPORT_V2);
    assertThat(r.target()).isEqualTo(Target.property("k0", "d1", "temp"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "devicePropertyReport",
        "devicePropertyReportV2",
        "devicePublish",
        "deviceActionReport",
        "deviceConn",
        "deviceOtaReport"
      })
  void deviceShapeWorksForEverySixCodes(String code) {
    SubscribeRequest r =
        parse(
            "{\"code\":\"" + code + "\",\"params\":{\"productID\":\"k0\",\"deviceName\":\"d1\"}}");

    assertThat(r.code()).isEqualTo(SubCode.fromWire(code));
    assertThat(r.code().wire()).isEqualTo(code);
    assertThat(r.target()).isEqualTo(Target.device("k0", "d1"));
  }

  @Test
  void projectShape() {
    SubscribeRequest r = parse("{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p-plant\"}}");

    assertThat(r.target()).isEqualTo(Target.project("p-plant"));
  }

  @Test
  void areaShape() {
    SubscribeRequest r =
        parse(
            "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p-plant\",\"areaID\":\"a-hall\"}}");

    assertThat(r.target()).isEqualTo(Target.area("p-plant", "a-hall"));
  }

  @Test
  void paramsAreKeptExactlyAsSent() {
    String params = "{\"deviceName\":\"d1\",\"productID\":17}";
    SubscribeRequest r = parse("{\"code\":\"deviceConn\",\"params\":" + params + "}");

    assertThat(r.params()).isEqualTo(json(params));
  }

  // ---- default project from the connection --------------------------------------------------

  @Test
  void projectSubscriptionWithoutProjectIdUsesTheConnectionProject() {
    SubscribeRequest r =
        SubscribeRequest.parse(json("{\"code\":\"deviceConn\",\"params\":{}}"), "p-default");

    assertThat(r.target()).isEqualTo(Target.project("p-default"));
  }

  @Test
  void areaSubscriptionWithoutProjectIdUsesTheConnectionProject() {
    SubscribeRequest r =
        SubscribeRequest.parse(
            json("{\"code\":\"deviceConn\",\"params\":{\"areaID\":\"a-hall\"}}"), "p-default");

    assertThat(r.target()).isEqualTo(Target.area("p-default", "a-hall"));
  }

  @Test
  void anExplicitProjectIdWinsOverTheConnectionProject() {
    SubscribeRequest r =
        SubscribeRequest.parse(
            json(
                "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p-other\",\"areaID\":\"a1\"}}"),
            "p-default");

    assertThat(r.target()).isEqualTo(Target.area("p-other", "a1"));
  }

  @Test
  void projectOrAreaWithoutProjectIdIsRefusedWhenTheConnectionHasNoProject() {
    assertThat(refusal("{\"code\":\"deviceConn\",\"params\":{}}").code())
        .isEqualTo(ErrorCode.PARAMETER);
    assertThat(refusal("{\"code\":\"deviceConn\",\"params\":{\"areaID\":\"a1\"}}").code())
        .isEqualTo(ErrorCode.PARAMETER);
  }

  @Test
  void theDefaultProjectDoesNotTurnADeviceShapeIntoAnotherShape() {
    SubscribeRequest r =
        SubscribeRequest.parse(
            json(
                "{\"code\":\"deviceConn\",\"params\":{\"productID\":\"k0\",\"deviceName\":\"d1\"}}"),
            "p-default");

    assertThat(r.target()).isEqualTo(Target.device("k0", "d1"));
  }

  // ---- values: strings or integers, compared as strings -------------------------------------

  @Test
  void integerValuesAreTheSameTargetAsTheirDigitStrings() {
    SubscribeRequest asNumbers =
        parse(
            "{\"code\":\"devicePropertyReport\",\"params\":{\"productID\":123,"
                + "\"deviceName\":4567890123,\"identifier\":7}}");
    SubscribeRequest asStrings =
        parse(
            "{\"code\":\"devicePropertyReport\",\"params\":{\"productID\":\"123\","
                + "\"deviceName\":\"4567890123\",\"identifier\":\"7\"}}");

    assertThat(asNumbers.target()).isEqualTo(Target.property("123", "4567890123", "7"));
    assertThat(asNumbers.target()).isEqualTo(asStrings.target());
  }

  @Test
  void integerProjectAndAreaIds() {
    SubscribeRequest r =
        parse(
            "{\"code\":\"deviceConn\",\"params\":{\"projectID\":1790000000000000001,\"areaID\":42}}");

    assertThat(r.target()).isEqualTo(Target.area("1790000000000000001", "42"));
  }

  // ---- options -------------------------------------------------------------------------------

  @Test
  void sinceZeroIsAllowed() {
    SubscribeRequest r =
        parse("{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p\"},\"since\":0}");

    assertThat(r.since()).isEqualTo(0L);
  }

  @Test
  void sinceAppliesToEveryCode() {
    SubscribeRequest r =
        parse("{\"code\":\"devicePublish\",\"params\":{\"projectID\":\"p\"},\"since\":1234}");

    assertThat(r.since()).isEqualTo(1234L);
  }

  @Test
  void snapshotAndThrottleOnAPropertyCode() {
    SubscribeRequest r =
        parse(
            "{\"code\":\"devicePropertyReport\",\"params\":{\"projectID\":\"p\"},"
                + "\"snapshot\":true,\"throttleMs\":500,\"since\":9}");

    assertThat(r.snapshot()).isTrue();
    assertThat(r.throttleMs()).isEqualTo(500L);
    assertThat(r.since()).isEqualTo(9L);
  }

  @Test
  void snapshotFalseIsFalse() {
    SubscribeRequest r =
        parse(
            "{\"code\":\"devicePropertyReportV2\",\"params\":{\"projectID\":\"p\"},\"snapshot\":false}");

    assertThat(r.snapshot()).isFalse();
  }

  // ---- 100018 comes first ------------------------------------------------------------------

  @Test
  void unknownCodeStringIs100018() {
    ThingPushException e =
        refusal("{\"code\":\"deviceTemperature\",\"params\":{\"projectID\":\"p\"}}");

    assertThat(e.code()).isEqualTo(ErrorCode.NOT_IMPLEMENTED);
    assertThat(e.code().code()).isEqualTo(100018);
    assertThat(e.detail()).contains("deviceTemperature");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"code\":\"nope\"}",
        "{\"code\":\"nope\",\"params\":\"x\"}",
        "{\"code\":\"nope\",\"params\":{\"what\":1}}",
        "{\"code\":\"nope\",\"params\":{\"productID\":1.5}}",
        "{\"code\":\"nope\",\"params\":{\"projectID\":\"p\"},\"extra\":true}",
        "{\"code\":\"nope\",\"params\":{\"projectID\":\"p\"},\"since\":-1,\"snapshot\":\"yes\"}",
        "{\"extra\":true,\"code\":\"nope\"}",
        "{\"code\":\"\",\"params\":{}}",
        "{\"code\":\"DEVICECONN\",\"params\":{\"projectID\":\"p\"}}"
      })
  void unknownCodeStringIs100018EvenWhenTheRestIsAlsoBad(String body) {
    assertThat(refusal(body).code()).isEqualTo(ErrorCode.NOT_IMPLEMENTED);
  }

  // ---- 100006: body -------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {"[]", "[{\"code\":\"deviceConn\"}]", "\"deviceConn\"", "42", "null", "true"})
  void nonObjectBodyIs100006(String body) {
    assertParameterError(body, "body");
  }

  @Test
  void missingBodyIs100006() {
    ThingPushException e =
        catchThrowableOfType(ThingPushException.class, () -> SubscribeRequest.parse(null, null));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER);
    assertThat(e.detail()).contains("body");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"params\":{\"projectID\":\"p\"}}",
        "{\"code\":5,\"params\":{\"projectID\":\"p\"}}",
        "{\"code\":null,\"params\":{\"projectID\":\"p\"}}",
        "{\"code\":[\"deviceConn\"],\"params\":{\"projectID\":\"p\"}}",
        "{\"code\":{\"name\":\"deviceConn\"},\"params\":{\"projectID\":\"p\"}}"
      })
  void missingOrNonStringCodeIs100006(String body) {
    assertParameterError(body, "code");
  }

  @Test
  void unknownBodyKeyIs100006NamingIt() {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p\"},\"replay\":true}", "replay");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"code\":\"deviceConn\"}",
        "{\"code\":\"deviceConn\",\"params\":null}",
        "{\"code\":\"deviceConn\",\"params\":\"p\"}",
        "{\"code\":\"deviceConn\",\"params\":[{\"projectID\":\"p\"}]}",
        "{\"code\":\"deviceConn\",\"params\":7}"
      })
  void missingOrNonObjectParamsIs100006(String body) {
    assertParameterError(body, "params");
  }

  // ---- 100006: params -----------------------------------------------------------------------

  @Test
  void unknownParamKeyIs100006NamingIt() {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"productID\":\"k0\",\"deviceId\":\"d1\"}}",
        "deviceId");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"productID\":\"k0\",\"deviceName\":\"d1\",\"projectID\":\"p\"}",
        "{\"productID\":\"k0\",\"deviceName\":\"d1\",\"areaID\":\"a\"}",
        "{\"productID\":\"k0\",\"deviceName\":\"d1\",\"identifier\":\"t\",\"projectID\":\"p\"}",
        "{\"productID\":\"k0\",\"projectID\":\"p\"}",
        "{\"productID\":\"k0\"}",
        "{\"deviceName\":\"d1\"}",
        "{\"deviceName\":\"d1\",\"identifier\":\"t\"}",
        "{\"productID\":\"k0\",\"identifier\":\"t\"}",
        "{\"projectID\":\"p\",\"identifier\":\"t\"}",
        "{\"projectID\":\"p\",\"areaID\":\"a\",\"identifier\":\"t\"}",
        "{\"identifier\":\"t\"}"
      })
  void mixedOrIncompleteShapesAre100006(String params) {
    ThingPushException e = refusal("{\"code\":\"devicePropertyReport\",\"params\":" + params + "}");

    assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER);
    assertThat(e.detail()).contains("params");
  }

  @Test
  void mixedShapeIsRefusedEvenWithAConnectionProject() {
    ThingPushException e =
        refusal(
            "{\"code\":\"devicePropertyReport\",\"params\":{\"productID\":\"k0\"}}", "p-default");

    assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER);
  }

  @ParameterizedTest
  @CsvSource({"productID", "deviceName", "projectID", "areaID", "identifier"})
  void emptyValueIs100006NamingTheKey(String key) {
    String params =
        switch (key) {
          case "productID" -> "{\"productID\":\"\",\"deviceName\":\"d1\"}";
          case "deviceName" -> "{\"productID\":\"k0\",\"deviceName\":\"\"}";
          case "projectID" -> "{\"projectID\":\"\"}";
          case "areaID" -> "{\"projectID\":\"p\",\"areaID\":\"\"}";
          default -> "{\"productID\":\"k0\",\"deviceName\":\"d1\",\"identifier\":\"\"}";
        };
    assertParameterError("{\"code\":\"devicePropertyReport\",\"params\":" + params + "}", key);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"1.5", "1.0", "1e3", "true", "false", "{\"id\":\"k0\"}", "[\"k0\"]", "null"})
  void nonStringNonIntegerValueIs100006NamingTheKey(String value) {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"productID\":" + value + ",\"deviceName\":\"d1\"}}",
        "productID");
  }

  @ParameterizedTest
  @ValueSource(strings = {"devicePublish", "deviceConn", "deviceOtaReport"})
  void identifierOnANonPropertyCodeIs100006(String code) {
    assertParameterError(
        "{\"code\":\""
            + code
            + "\",\"params\":{\"productID\":\"k0\",\"deviceName\":\"d1\","
            + "\"identifier\":\"temp\"}}",
        "identifier");
  }

  @Test
  void identifierOnDeviceActionReportIsTheActionId() {
    SubscribeRequest r =
        SubscribeRequest.parse(
            json(
                "{\"code\":\"deviceActionReport\",\"params\":{\"productID\":\"k0\",\"deviceName\":\"d1\","
                    + "\"identifier\":\"reboot\"}}"),
            null);

    assertThat(r.target()).isEqualTo(Target.property("k0", "d1", "reboot"));
  }

  // ---- {shareDevice: true} -------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "devicePropertyReport",
        "devicePropertyReportV2",
        "devicePublish",
        "deviceActionReport",
        "deviceConn",
        "deviceOtaReport"
      })
  void shareDeviceTrueIsTheUsersSharedDevices(String code) {
    SubscribeRequest r =
        SubscribeRequest.parse(
            json("{\"code\":\"" + code + "\",\"params\":{\"shareDevice\":true}}"), "p1");

    assertThat(r.target()).isEqualTo(Target.shares());
    assertThat(r.target().kind()).isEqualTo(Target.Kind.SHARES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "\"true\"", "1", "null"})
  void shareDeviceOtherThanTrueIs100006(String value) {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"shareDevice\":" + value + "}}", "shareDevice");
  }

  @Test
  void shareDeviceMixedWithAnotherShapeIs100006() {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"shareDevice\":true,\"projectID\":\"p1\"}}",
        "shareDevice");
  }

  // ---- 100006: options ----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"deviceConn", "deviceOtaReport"})
  void snapshotOnAStateCodeIsTaken(String code) {
    assertThat(
            parse("{\"code\":\"" + code + "\",\"params\":{\"projectID\":\"p\"},\"snapshot\":true}")
                .snapshot())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"devicePublish", "deviceActionReport"})
  void snapshotOnACodeWithoutValuesOrStateIs100006(String code) {
    assertParameterError(
        "{\"code\":\"" + code + "\",\"params\":{\"projectID\":\"p\"},\"snapshot\":true}",
        "snapshot");
  }

  @ParameterizedTest
  @ValueSource(strings = {"devicePublish", "deviceActionReport", "deviceConn", "deviceOtaReport"})
  void throttleOnANonPropertyCodeIs100006(String code) {
    assertParameterError(
        "{\"code\":\"" + code + "\",\"params\":{\"projectID\":\"p\"},\"throttleMs\":100}",
        "throttleMs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"5\"", "1.5", "true", "{}", "[1]", "99999999999999999999999"})
  void wrongTypedSinceIs100006(String value) {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p\"},\"since\":" + value + "}",
        "since");
  }

  @Test
  void negativeSinceIs100006() {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p\"},\"since\":-1}", "since");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"100\"", "0.5", "false", "{}", "[100]"})
  void wrongTypedThrottleIs100006(String value) {
    assertParameterError(
        "{\"code\":\"devicePropertyReport\",\"params\":{\"projectID\":\"p\"},\"throttleMs\":"
            + value
            + "}",
        "throttleMs");
  }

  @Test
  void negativeThrottleIs100006() {
    assertParameterError(
        "{\"code\":\"devicePropertyReport\",\"params\":{\"projectID\":\"p\"},\"throttleMs\":-100}",
        "throttleMs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"true\"", "1", "0", "{}", "[true]"})
  void nonBooleanSnapshotIs100006(String value) {
    assertParameterError(
        "{\"code\":\"devicePropertyReport\",\"params\":{\"projectID\":\"p\"},\"snapshot\":"
            + value
            + "}",
        "snapshot");
  }

  // ---- filter (SPEC §10) ---------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"devicePropertyReport", "devicePublish", "deviceConn", "deviceOtaReport"})
  void filterIsTakenAsSentOnEveryCode(String code) {
    SubscribeRequest r =
        parse(
            "{\"code\":\""
                + code
                + "\",\"params\":{\"projectID\":\"p\"},\"filter\":\"status == 2\"}");

    assertThat(r.filter()).isEqualTo("status == 2");
    assertThat(parse("{\"code\":\"" + code + "\",\"params\":{\"projectID\":\"p\"}}").filter())
        .isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "true", "{}", "[\"param > 1\"]", "null"})
  void nonStringFilterIs100006(String value) {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p\"},\"filter\":" + value + "}",
        "body.filter must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "\"  \""})
  void blankFilterIs100006(String value) {
    assertParameterError(
        "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p\"},\"filter\":" + value + "}",
        "body.filter is empty");
  }

  @Test
  void filterOverOneThousandAndTwentyFourCharactersIs100015() {
    String longest = "status == 2" + " ".repeat(1024 - 11);
    String body = "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p\"},\"filter\":\"%s\"}";

    assertThat(parse(body.formatted(longest)).filter()).hasSize(1024);
    ThingPushException e = refusal(body.formatted(longest + " "));
    assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RANGE);
    assertThat(e.detail()).contains("body.filter").contains("1024");
    // Characters, not UTF-16 units: 1,024 emoji are within the limit.
    assertThat(parse(body.formatted("\uD83D\uDE00".repeat(1024))).filter()).hasSize(2048);
  }

  @Test
  void everyFormErrorIsTheParameterCode100006() {
    assertThat(refusal("{\"code\":\"deviceConn\",\"params\":{\"x\":1}}").code().code())
        .isEqualTo(100006);
  }
}
