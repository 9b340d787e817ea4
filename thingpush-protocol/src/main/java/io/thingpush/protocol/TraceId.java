package io.thingpush.protocol;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C-style trace id as its two halves: what a long-lived holder keeps (16 bytes, against 72
 * for its text), writing it out only where it is shown.
 */
public record TraceId(long high, long low) {
  /** A random id, never all zeros. */
  public static TraceId next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    return new TraceId(high, low);
  }

  /** The 32 lower-case hex digits. */
  @Override
  public String toString() {
    return TraceIds.hex(high, low);
  }
}
