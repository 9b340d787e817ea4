package io.thingpush.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceIdsTest {
  @Test
  void thirtyTwoLowerCaseHexDigitsHighHalfFirst() {
    assertThat(TraceIds.hex(0x0123456789abcdefL, 0xfedcba9876543210L))
        .isEqualTo("0123456789abcdeffedcba9876543210");
    assertThat(TraceIds.hex(0, 1)).isEqualTo("00000000000000000000000000000001");
    assertThat(TraceIds.hex(-1, Long.MIN_VALUE)).isEqualTo("ffffffffffffffff8000000000000000");
  }

  @Test
  void aNewIdIsThirtyTwoHexDigitsAndNotAllZeros() {
    for (int i = 0; i < 1_000; i++) {
      String id = TraceIds.next();
      assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    }
  }
}
