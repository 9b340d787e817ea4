package io.thingpush.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What compiles, and the code and message of each refusal. */
class FilterCompilerTest {
  private static final FilterCompiler COMPILER = new FilterCompiler();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '`',
      textBlock =
          """
      devicePropertyReport   | device, timestamp, identifier, param, operatorUserId
      devicePropertyReportV2 | device, timestamp, params, operatorUserId
      devicePublish          | productID, deviceName, content, topic, action, timestamp, requestID, traceID, resultCode, respPayload
      deviceActionReport     | device, msgToken, timestamp, actionID, params, code, msg, dir, reqType, operatorUserId
      deviceConn             | device, timestamp, status
      deviceOtaReport        | device, timestamp, status, detail, step
      """)
  void eachCodeDeclaresTheFieldsOfItsBody(String code, String fields) {
    Set<String> every = new LinkedHashSet<>();
    for (SubCode c : SubCode.values()) {
      every.addAll(BodyFields.of(c).keySet());
    }
    Set<String> compiling =
        every.stream()
            .filter(field -> compiles(SubCode.fromWire(code), field + " == " + field))
            .collect(Collectors.toCollection(LinkedHashSet::new));

    assertThat(compiling).containsExactlyInAnyOrderElementsOf(Arrays.asList(fields.split(", ")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '`',
      textBlock =
          """
      # typed fields: a comparison with the wrong type is refused when subscribing
      deviceConn           | status == 2
      deviceConn           | status > 1.5
      deviceConn           | timestamp > 1700000000000
      deviceOtaReport      | step < 0 && status == 6 && detail != ''
      deviceConn           | device.productID == 'p1' && device.deviceName.endsWith('-01')
      devicePublish        | resultCode == 200 && traceID.size() > 0 && productID == 'p1'
      deviceActionReport   | code != 200 && msg.contains('timeout')
      # values of properties are dyn: any comparison compiles, its types are checked per event
      devicePropertyReport | param > 30 || param == 'open' || param.x > 1 || param[0] == 1
      """)
  void typedFieldsCompile(String code, String filter) {
    Filter compiled = COMPILER.compile(SubCode.fromWire(code), filter);

    assertThat(compiled.expression()).isEqualTo(filter);
    assertThat(compiled.code()).isEqualTo(SubCode.fromWire(code));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '`',
      textBlock =
          """
      deviceConn             | status ==                        | filter 1:10: mismatched input '<EOF>' expecting
      deviceConn             | status == 2 &&\\n  (status       | filter 2:10: missing ')' at '<EOF>'
      deviceConn             | status = 2                       | filter 1:8: token recognition error at: '= '
      devicePropertyReport   | param > 30 ||                    | filter 1:14: mismatched input '<EOF>'
      deviceConn             | status == '2'                    | filter 1:8: found no matching overload for '_==_' applied to '(int, string)'
      deviceConn             | status == 2.0                    | filter 1:8: found no matching overload for '_==_' applied to '(int, double)'
      deviceConn             | timestamp > '1700000000000'      | filter 1:11: found no matching overload for '_>_' applied to '(int, string)'
      deviceConn             | device.deviceName > 3            | filter 1:19: found no matching overload for '_>_' applied to '(string, int)'
      devicePropertyReportV2 | temp > 30                        | filter 1:1: undeclared reference to 'temp'; devicePropertyReportV2 has device, timestamp, params, operatorUserId
      deviceConn             | step < 0                         | filter 1:1: undeclared reference to 'step'; deviceConn has device, timestamp, status
      deviceConn             | status == 2 && now() > 0         | filter 1:19: undeclared reference to 'now'
      deviceConn             | body.status == 2                 | filter 1:1: undeclared reference to 'body'
      """)
  void anExpressionThatDoesNotCompileIsRefusedWithItsPosition(
      String code, String filter, String message) {
    assertThatThrownBy(() -> COMPILER.compile(SubCode.fromWire(code), filter.replace("\\n", "\n")))
        .isInstanceOfSatisfying(
            ThingPushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER);
              assertThat(e.detail()).startsWith(message);
            });
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiterString = " | ",
      quoteCharacter = '`',
      textBlock =
          """
      devicePropertyReport   | param                | dyn
      devicePropertyReportV2 | params.temp          | dyn
      deviceConn             | status               | int
      deviceConn             | status + 1           | int
      deviceConn             | device.deviceName    | string
      devicePropertyReportV2 | params               | map(string, dyn)
      deviceConn             | [status == 2]        | list(bool)
      """)
  void aResultThatIsNotABoolIsRefused(String code, String filter, String type) {
    assertThatThrownBy(() -> COMPILER.compile(SubCode.fromWire(code), filter))
        .isInstanceOfSatisfying(
            ThingPushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER);
              assertThat(e.detail()).isEqualTo("filter must be true or false, not " + type);
            });
  }

  @Test
  void anEmptyExpressionIsRefused() {
    assertThatThrownBy(() -> COMPILER.compile(SubCode.DEVICE_CONN, ""))
        .isInstanceOfSatisfying(
            ThingPushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER);
              assertThat(e.detail()).startsWith("filter 1:1: ");
            });
  }

  @Test
  void upTo1024CharactersCompileAndLongerIsOutOfRange() {
    String atLimit = "status == 2" + " ".repeat(FilterCompiler.MAX_LENGTH - "status == 2".length());
    assertThat(compiles(SubCode.DEVICE_CONN, atLimit)).isTrue();

    assertThatThrownBy(() -> COMPILER.compile(SubCode.DEVICE_CONN, atLimit + " "))
        .isInstanceOfSatisfying(
            ThingPushException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_RANGE);
              assertThat(e.detail()).isEqualTo("filter is longer than 1024 characters");
            });
  }

  @Test
  void theLimitCountsCharactersNotUtf16Units() {
    // 1,024 characters, of which 1,001 are outside the BMP (two UTF-16 units each).
    String emoji = "\uD83D\uDE00".repeat(1001);
    String filter = "device.deviceName == '" + emoji + "'";
    assertThat(filter.codePointCount(0, filter.length())).isEqualTo(1024);

    assertThat(compiles(SubCode.DEVICE_CONN, filter)).isTrue();
  }

  @Test
  void aFilterIsItsCodeAndText() {
    Filter offline = COMPILER.compile(SubCode.DEVICE_CONN, "status == 2");

    assertThat(offline).isEqualTo(COMPILER.compile(SubCode.DEVICE_CONN, "status == 2"));
    assertThat(offline).hasSameHashCodeAs(COMPILER.compile(SubCode.DEVICE_CONN, "status == 2"));
    assertThat(offline).isNotEqualTo(COMPILER.compile(SubCode.DEVICE_CONN, "status==2"));
    assertThat(offline).isNotEqualTo(COMPILER.compile(SubCode.DEVICE_OTA_REPORT, "status == 2"));
  }

  @Test
  void theSameFilterIsCompiledOnceWhileItIsAskedFor() {
    FilterCompiler compiler = new FilterCompiler();
    Filter first = compiler.compile(SubCode.DEVICE_CONN, "status == 2");
    assertThat(compiler.compile(SubCode.DEVICE_CONN, "status == 2")).isSameAs(first);

    for (int i = 0; i < FilterCompiler.CACHED; i++) {
      compiler.compile(SubCode.DEVICE_CONN, "status > " + i);
    }
    Filter again = compiler.compile(SubCode.DEVICE_CONN, "status == 2");
    assertThat(again).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void aFilterNotCompiledLatelyIsCompiledOnTheGivenExecutorAndOneSeenIsNot() {
    FilterCompiler compiler = new FilterCompiler();
    List<Runnable> elsewhere = new ArrayList<>();

    CompletableFuture<Filter> unseen =
        compiler.compile(SubCode.DEVICE_CONN, "status == 2", elsewhere::add);
    assertThat(unseen).isNotDone();
    assertThat(elsewhere).hasSize(1);
    elsewhere.remove(0).run();
    assertThat(unseen).isCompletedWithValue(compiler.compile(SubCode.DEVICE_CONN, "status == 2"));

    assertThat(compiler.compile(SubCode.DEVICE_CONN, "status == 2", elsewhere::add)).isDone();
    assertThat(elsewhere).isEmpty();
  }

  @Test
  void aFilterAskedForAgainWhileItCompilesIsCompiledOnce() {
    FilterCompiler compiler = new FilterCompiler();
    List<Runnable> elsewhere = new ArrayList<>();

    CompletableFuture<Filter> first =
        compiler.compile(SubCode.DEVICE_CONN, "status == 1", elsewhere::add);
    CompletableFuture<Filter> second =
        compiler.compile(SubCode.DEVICE_CONN, "status == 1", elsewhere::add);
    assertThat(elsewhere).hasSize(1);
    elsewhere.remove(0).run();

    assertThat(second).isSameAs(first).isCompleted();
    assertThat(compiler.compile(SubCode.DEVICE_CONN, "status == 1", elsewhere::add)).isCompleted();
    assertThat(elsewhere).isEmpty();
  }

  @Test
  void aRefusalCompiledElsewhereFailsTheStageWithItsCode() {
    CompletableFuture<Filter> bad =
        COMPILER.compile(SubCode.DEVICE_CONN, "status ==", Runnable::run);

    assertThat(bad).isCompletedExceptionally();
    Throwable cause = catchThrowable(bad::join).getCause();
    assertThat(cause).isInstanceOf(ThingPushException.class);
    assertThat(((ThingPushException) cause).code()).isEqualTo(ErrorCode.PARAMETER);
  }

  private static boolean compiles(SubCode code, String filter) {
    try {
      COMPILER.compile(code, filter);
      return true;
    } catch (ThingPushException refused) {
      return false;
    }
  }
}
