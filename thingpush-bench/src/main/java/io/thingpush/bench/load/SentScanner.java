package io.thingpush.bench.load;

import io.netty.util.ByteProcessor;

/**
 * Finds each {@code "sent":<digits>} in a stream of bytes fed in pieces (a frame may arrive in
 * several reads), and hands the number to {@link Found}. One per connection; no allocation.
 */
final class SentScanner implements ByteProcessor {
  private static final byte[] KEY =
      "\"sent\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Receives each send time found. */
  interface Found {
    void sent(long nanos);
  }

  private final Found found;
  private int matched;
  private boolean digits;
  private long value;

  SentScanner(Found found) {
    this.found = found;
  }

  @Override
  public boolean process(byte b) {
    if (matched == KEY.length) {
      if (b >= '0' && b <= '9') {
        value = value * 10 + (b - '0');
        digits = true;
        return true;
      }
      if (digits) {
        found.sent(value);
      }
      matched = 0;
      digits = false;
      value = 0;
    }
    if (b == KEY[matched]) {
      matched++;
    } else {
      matched = b == KEY[0] ? 1 : 0;
    }
    return true;
  }

  /** Forgets a partial match at the end of a message. */
  void reset() {
    if (matched == KEY.length && digits) {
      found.sent(value);
    }
    matched = 0;
    digits = false;
    value = 0;
  }
}
