package io.thingpush.protocol;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** W3C-style trace ids: 32 lower-case hex digits, never all zeros. */
public final class TraceIds {
  private TraceIds() {}

  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    return String.format(Locale.ROOT, "%016x%016x", high, low);
  }
}
