package io.thingpush.core.filter;

import static io.thingpush.core.filter.Filter.Verdict.ERROR;
import static io.thingpush.core.filter.Filter.Verdict.FAIL;
import static io.thingpush.core.filter.Filter.Verdict.PASS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.filter.Filter.Verdict;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Payloads;
import io.thingpush.protocol.SubCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each filter rule over real push bodies (built by {@link Payloads} as every source builds them):
 * the examples users write, true and false; a missing field is false, never an error; ints and
 * doubles compare; a run-time error is its own verdict so it can be counted.
 */
class FilterTest {
  private static final FilterCompiler COMPILER = new FilterCompiler();

  @ParameterizedTest(name = "{1} over {2} -> {3}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '`',
      textBlock =
          """
      # a threshold on one property, whatever its number type
      devicePropertyReport   | param > 30 | {'identifier': 'temp', 'param': 31} | PASS
      devicePropertyReport   | param > 30 | {'identifier': 'temp', 'param': 30.5} | PASS
      devicePropertyReport   | param > 30 | {'identifier': 'temp', 'param': 30} | FAIL
      devicePropertyReport   | param > 30 | {'identifier': 'temp', 'param': 29.9} | FAIL
      devicePropertyReport   | param > 30.5 | {'identifier': 'temp', 'param': 31} | PASS
      devicePropertyReport   | param >= 30.5 | {'identifier': 'temp', 'param': 30} | FAIL
      devicePropertyReport   | param == 30 | {'identifier': 'temp', 'param': 30.0} | PASS
      devicePropertyReport   | param == 1 | {'identifier': 'on', 'param': 1} | PASS
      devicePropertyReport   | param == 'open' | {'identifier': 'door', 'param': 'open'} | PASS
      devicePropertyReport   | param == 'open' | {'identifier': 'door', 'param': 1} | FAIL
      devicePropertyReport   | param.x > 1 && param.tag == 'a' | {'identifier': 'pos', 'param': {'x': 1.5, 'tag': 'a'}} | PASS
      devicePropertyReport   | param.x > 1 | {'identifier': 'pos', 'param': {'x': 0.5}} | FAIL
      devicePropertyReport   | param[1] == 2 && 3 in param && size(param) == 3 | {'identifier': 'pts', 'param': [1, 2, 3]} | PASS
      devicePropertyReport   | param.exists(p, p.x > 1) | {'identifier': 'spots', 'param': [{'x': 0}, {'x': 2}]} | PASS
      devicePropertyReport   | param.exists(p, p.x > 1) | {'identifier': 'spots', 'param': [{'x': 0}, {'x': 1}]} | FAIL
      # which properties
      devicePropertyReport   | identifier in ['temp', 'humidity'] | {'identifier': 'humidity', 'param': 1} | PASS
      devicePropertyReport   | identifier in ['temp', 'humidity'] | {'identifier': 'pressure', 'param': 1} | FAIL
      devicePropertyReport   | identifier.startsWith('t') && param > 30 | {'identifier': 'temp', 'param': 31} | PASS
      # several properties of one V2 report
      devicePropertyReportV2 | params.temp > 30 && params.humidity < 50 | {'params': {'temp': 31, 'humidity': 40}} | PASS
      devicePropertyReportV2 | params.temp > 30 && params.humidity < 50 | {'params': {'temp': 30.5, 'humidity': 49.9}} | PASS
      devicePropertyReportV2 | params.temp > 30 && params.humidity < 50 | {'params': {'temp': 31, 'humidity': 60}} | FAIL
      devicePropertyReportV2 | params.temp > 30 && params.humidity < 50 | {'params': {'temp': 29, 'humidity': 40}} | FAIL
      devicePropertyReportV2 | params.exists(k, params[k] > 100) | {'params': {'a': 1, 'b': 101}} | PASS
      devicePropertyReportV2 | params.exists(k, params[k] > 100) | {'params': {'a': 1, 'b': 100}} | FAIL
      devicePropertyReportV2 | 'temp' in params | {'params': {'temp': 1}} | PASS
      devicePropertyReportV2 | params.mode == null | {'params': {'mode': null}} | PASS
      # which devices
      deviceConn             | device.deviceName == 'sensor-01' | {'status': 1} | PASS
      deviceConn             | device.deviceName == 'sensor-02' | {'status': 1} | FAIL
      deviceConn             | device == {'productID': 'p1', 'deviceName': 'sensor-01'} | {'status': 1} | PASS
      deviceConn             | device.deviceName.matches('^sensor-[0-9]+$') | {'status': 1} | PASS
      # offline devices only; failed upgrades only
      deviceConn             | status == 2 | {'status': 2} | PASS
      deviceConn             | status == 2 | {'status': 1} | FAIL
      deviceConn             | status > 1.5 | {'status': 2} | PASS
      deviceOtaReport        | step < 0 | {'status': 6, 'step': -3} | PASS
      deviceOtaReport        | step < 0 | {'status': 4, 'step': 40} | FAIL
      deviceOtaReport        | status == 6 || step < 0 | {'status': 6, 'step': 100} | PASS
      deviceOtaReport        | detail.contains('checksum') | {'status': 6, 'step': -3, 'detail': 'bad checksum'} | PASS
      # device messages and action calls
      devicePublish          | action == 'report' && content.contains('alarm') | {'topic': '$thing/up/property/p1/sensor-01', 'action': 'report', 'content': '{\\"alarm\\":1}'} | PASS
      devicePublish          | topic.startsWith('$thing/up/event') | {'topic': '$thing/up/property/p1/sensor-01', 'action': 'report', 'content': '{}'} | FAIL
      devicePublish          | resultCode != 200 | {'topic': 't', 'action': 'reportReply', 'content': '{}', 'resultCode': 406} | PASS
      deviceActionReport     | dir == 'up' && reqType == 'resp' && code != 200 | {'actionID': 'reboot', 'dir': 'up', 'reqType': 'resp', 'code': 500} | PASS
      deviceActionReport     | actionID == 'reboot' && params.delaySec > 5 | {'actionID': 'reboot', 'dir': 'down', 'reqType': 'req', 'params': {'delaySec': 10}} | PASS
      """)
  void theExamplesUsersWrite(String code, String filter, String payload, Verdict verdict) {
    assertThat(evaluate(code, filter, payload)).isEqualTo(verdict);
  }

  @ParameterizedTest(name = "{1} over {2} -> {3}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '`',
      textBlock =
          """
      # a key the report lacks: the comparison is false, and so is a whole that needs it
      devicePropertyReportV2 | params.temp > 30 && params.humidity < 50 | {'params': {'temp': 31}} | FAIL
      devicePropertyReportV2 | params.humidity < 50 | {'params': {'temp': 31}} | FAIL
      devicePropertyReportV2 | params.humidity >= 50 | {'params': {'temp': 31}} | FAIL
      devicePropertyReportV2 | params.humidity != 50 | {'params': {'temp': 31}} | FAIL
      devicePropertyReportV2 | !(params.humidity < 50) | {'params': {'temp': 31}} | FAIL
      # ...unless the part that needs it is decided without it, or guarded with has()
      devicePropertyReportV2 | params.temp > 30 || params.humidity < 50 | {'params': {'temp': 31}} | PASS
      devicePropertyReportV2 | params.humidity < 50 || params.temp > 30 | {'params': {'temp': 31}} | PASS
      devicePropertyReportV2 | params.humidity < 50 && params.temp > 30 | {'params': {'temp': 29}} | FAIL
      devicePropertyReportV2 | !has(params.humidity) | {'params': {'temp': 31}} | PASS
      devicePropertyReportV2 | !has(params.humidity) | {'params': {'humidity': 40}} | FAIL
      devicePropertyReportV2 | !has(params.humidity) || params.humidity < 50 | {'params': {'temp': 31}} | PASS
      devicePropertyReportV2 | has(params.humidity) && params.humidity < 50 | {'params': {'temp': 31}} | FAIL
      devicePropertyReport   | has(param.x) && param.x > 1 | {'identifier': 'pos', 'param': {'y': 2}} | FAIL
      # a field of the body that this event does not carry (the optional ones of SPEC §3), or carries as null
      devicePropertyReport   | operatorUserId == 7 | {'identifier': 'temp', 'param': 31} | FAIL
      devicePropertyReport   | operatorUserId != 7 | {'identifier': 'temp', 'param': 31} | FAIL
      devicePropertyReport   | operatorUserId == 7 || param > 30 | {'identifier': 'temp', 'param': 31} | PASS
      devicePropertyReport   | operatorUserId == 7 | {'identifier': 'temp', 'param': 31, 'operatorUserId': 7} | PASS
      devicePublish          | requestID == 'r1' | {'topic': 't', 'action': 'report', 'content': '{}', 'requestID': null} | FAIL
      deviceActionReport     | params.delaySec > 5 | {'actionID': 'reboot', 'dir': 'down', 'reqType': 'req'} | FAIL
      deviceOtaReport        | detail == '' | {'status': 4, 'step': 10} | FAIL
      """)
  void aMissingFieldIsFalseNeverAnError(
      String code, String filter, String payload, Verdict verdict) {
    assertThat(evaluate(code, filter, payload)).isEqualTo(verdict);
  }

  @ParameterizedTest(name = "{1} over {2} -> {3}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '`',
      textBlock =
          """
      # timestamps are strings of digits in the body and numbers in a filter
      deviceConn           | timestamp > 1700000000000 | {'status': 1, 'timestamp': '1700000000001'} | PASS
      deviceConn           | timestamp > 1700000000000 | {'status': 1, 'timestamp': '1700000000000'} | FAIL
      deviceConn           | timestamp % 1000 == 1 | {'status': 1, 'timestamp': 1700000000001} | PASS
      deviceConn           | int(timestamp) == 1700000000001 | {'status': 1, 'timestamp': '1700000000001'} | PASS
      deviceConn           | timestamp(int(timestamp / 1000)).getFullYear() == 2023 | {'status': 1, 'timestamp': '1700000000001'} | PASS
      # an int field some platform sends as a string of digits is its number too
      devicePropertyReport | operatorUserId == 123 | {'identifier': 'temp', 'param': 1, 'operatorUserId': '123'} | PASS
      devicePropertyReport | operatorUserId == 123 | {'identifier': 'temp', 'param': 1, 'operatorUserId': 'admin'} | FAIL
      """)
  void numbersAsStringsOfDigits(String code, String filter, String payload, Verdict verdict) {
    assertThat(evaluate(code, filter, payload)).isEqualTo(verdict);
  }

  @ParameterizedTest(name = "{1} over {2} -> {3}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '`',
      textBlock =
          """
      devicePropertyReport   | param / 0 > 1 | {'identifier': 'temp', 'param': 31} | ERROR
      devicePropertyReport   | param > 30 | {'identifier': 'temp', 'param': '31'} | ERROR
      devicePropertyReport   | param > 30 | {'identifier': 'pos', 'param': {'x': 31}} | ERROR
      devicePropertyReport   | param.startsWith('a') | {'identifier': 'temp', 'param': 31} | ERROR
      devicePropertyReport   | param[5] == 1 | {'identifier': 'pts', 'param': [1, 2, 3]} | ERROR
      devicePropertyReport   | param + 1 > 0 | {'identifier': 'big', 'param': 9223372036854775807} | ERROR
      devicePropertyReport   | operatorUserId > 0 | {'identifier': 'temp', 'param': 1, 'operatorUserId': 'admin'} | ERROR
      devicePropertyReportV2 | params.a && params.b | {'params': {'a': 1, 'b': 1}} | ERROR
      # an error on one side of || or && that the other side decides is no error
      devicePropertyReport   | param > 30 || param / 0 > 1 | {'identifier': 'temp', 'param': 31} | PASS
      devicePropertyReport   | param < 30 && param / 0 > 1 | {'identifier': 'temp', 'param': 31} | FAIL
      """)
  void aRunTimeErrorIsItsOwnVerdict(String code, String filter, String payload, Verdict verdict) {
    assertThat(evaluate(code, filter, payload)).isEqualTo(verdict);
  }

  @Test
  void macrosShareAnIterationBudgetPerEvaluation() {
    // 10 properties: 10 x 10 x 10 = 1,000 inner iterations (plus the outer ones) is over the
    // budget,
    // 5 x 5 x 5 is not.
    String nested = "params.all(a, params.all(b, params.all(c, true)))";
    assertThat(evaluate("devicePropertyReportV2", nested, v2WithProperties(10))).isEqualTo(ERROR);
    assertThat(evaluate("devicePropertyReportV2", nested, v2WithProperties(5))).isEqualTo(PASS);
    assertThat(
            evaluate(
                "devicePropertyReportV2",
                "params.all(a, params[a] >= 0)",
                v2WithProperties(FilterCompiler.MAX_ITERATIONS)))
        .isEqualTo(PASS);
  }

  @Test
  void evaluationLeavesTheBodyAsItWas() {
    ObjectNode body =
        body(SubCode.DEVICE_PROPERTY_REPORT_V2, "{'params': {'temp': 31, 'pos': {'x': [1, 2]}}}");
    ObjectNode before = body.deepCopy();
    Filter filter =
        COMPILER.compile(
            SubCode.DEVICE_PROPERTY_REPORT_V2,
            "params.temp > 30 && params.pos.x[1] == 2 && params.exists(k, k == 'pos') && size(params) == 2");

    assertThat(filter.evaluate(body)).isEqualTo(PASS);
    assertThat(body).isEqualTo(before);
  }

  @Test
  void oneFilterEvaluatesEachEventOnItsOwnBody() {
    Filter offline = COMPILER.compile(SubCode.DEVICE_CONN, "status == 2");

    assertThat(offline.evaluate(body(SubCode.DEVICE_CONN, "{'status': 2}"))).isEqualTo(PASS);
    assertThat(offline.evaluate(body(SubCode.DEVICE_CONN, "{'status': 1}"))).isEqualTo(FAIL);
    assertThat(offline.evaluate(body(SubCode.DEVICE_CONN, "{'status': 2}"))).isEqualTo(PASS);
  }

  private static String v2WithProperties(int count) {
    StringBuilder params = new StringBuilder("{'params': {");
    for (int i = 0; i < count; i++) {
      params.append(i == 0 ? "" : ", ").append("'p").append(i).append("': ").append(i);
    }
    return params.append("}}").toString();
  }

  private static Verdict evaluate(String code, String filter, String payload) {
    SubCode subCode = SubCode.fromWire(code);
    return COMPILER.compile(subCode, filter).evaluate(body(subCode, payload));
  }

  /** The body a source builds for device p1/sensor-01 from a payload written with single quotes. */
  static ObjectNode body(SubCode code, String payload) {
    return Payloads.body(
        code,
        "p1",
        "sensor-01",
        Json.parseOrNull(payload.replace('\'', '"')),
        1_700_000_000_000L,
        () -> "trace-1");
  }
}
