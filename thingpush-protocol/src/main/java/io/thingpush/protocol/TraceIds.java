package io.thingpush.protocol;

import java.nio.charset.StandardCharsets;

/** W3C-style trace ids: 32 lower-case hex digits, never all zeros. */
public final class TraceIds {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private TraceIds() {}

  public static String next() {
    return TraceId.next().toString();
  }

  /**
   * {@code high} then {@code low} as 32 hex digits, by hand: every device message makes an id, and
   * {@code String.format} parses its pattern each time.
   */
  static String hex(long high, long low) {
    byte[] digits = new byte[32];
    for (int i = 15; i >= 0; i--) {
      digits[i] = HEX[(int) (high & 0xF)];
      digits[i + 16] = HEX[(int) (low & 0xF)];
      high >>>= 4;
      low >>>= 4;
    }
    return new String(digits, StandardCharsets.ISO_8859_1);
  }
}
