package io.thingpush.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {
  @Test
  void anOrdinaryValueIsWrittenAsItIs() {
    assertThat(LogSafe.of("it-app").toString()).isEqualTo("it-app");
    assertThat(LogSafe.of(42).toString()).isEqualTo("42");
    assertThat(LogSafe.of("温度/d-1").toString()).isEqualTo("温度/d-1");
  }

  @Test
  void nullIsNull() {
    assertThat(LogSafe.of(null).toString()).isEqualTo("null");
  }

  @Test
  void noValueCanEndTheLine() {
    assertThat(LogSafe.of("k1\n12:00:00.000 INFO forged").toString())
        .isEqualTo("\"k1\\n12:00:00.000 INFO forged\"");
    assertThat(LogSafe.of("a\rb\tc").toString()).isEqualTo("\"a\\rb\\tc\"");
    assertThat(LogSafe.of("nul\u0000 bell\u0007 nel\u0085 ls\u2028 ps\u2029").toString())
        .isEqualTo("\"nul\\u0000 bell\\u0007 nel\\u0085 ls\\u2028 ps\\u2029\"");
  }

  @Test
  void aValueThatCouldReadAsSeveralFieldsIsQuoted() {
    assertThat(LogSafe.of("app user=root").toString()).isEqualTo("\"app user=root\"");
    assertThat(LogSafe.of("").toString()).isEqualTo("\"\"");
    assertThat(LogSafe.of("say \"hi\" \\o/").toString()).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
  }
}
