package io.thingpush.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.session.RateLimiter.Verdict;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Client message rate (SPEC §6): 50 per second with bursts of 100, excess refused, 10 s of
 * sustained excess closes. Time is an injected nanosecond clock.
 */
class RateLimiterTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final int RATE = 50;
  private static final int BURST = 100;
  private static final long SUSTAIN_MILLIS = 10_000;

  /** A client sending four times the allowed rate. */
  private static final long FLOOD_STEP = 5 * MS;

  private static RateLimiter limiter(long nowNanos) {
    return new RateLimiter(new RateLimiter.Limit(RATE, BURST, SUSTAIN_MILLIS), nowNanos);
  }

  /** Offers one message every {@code step} in [from, to); counts each verdict. */
  private static Map<Verdict, Integer> offer(RateLimiter limiter, long from, long to, long step) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (long t = from; t < to; t += step) {
      counts.merge(limiter.acquire(t), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * Uses the whole burst at {@code start} so that the first refusal is at {@code start}, then
   * floods until {@code until}. Returns when the first REFUSE_AND_CLOSE came, or -1.
   */
  private static long floodFrom(RateLimiter limiter, long start, long until) {
    for (int i = 0; i < BURST; i++) {
      assertThat(limiter.acquire(start)).isEqualTo(Verdict.ALLOW);
    }
    assertThat(limiter.acquire(start)).isEqualTo(Verdict.REFUSE);
    for (long t = start + FLOOD_STEP; t < until; t += FLOOD_STEP) {
      if (limiter.acquire(t) == Verdict.REFUSE_AND_CLOSE) {
        return t;
      }
    }
    return -1;
  }

  @Test
  void aFullBurstIsAllowedAtOnceAndTheNextMessageRefused() {
    RateLimiter limiter = limiter(0);

    for (int i = 0; i < BURST; i++) {
      assertThat(limiter.acquire(0)).as("message %d", i + 1).isEqualTo(Verdict.ALLOW);
    }
    assertThat(limiter.acquire(0)).isEqualTo(Verdict.REFUSE);
    assertThat(limiter.acquire(0)).isEqualTo(Verdict.REFUSE);
  }

  @Test
  void afterTheBurstTheSteadyRateRefills() {
    RateLimiter limiter = limiter(0);
    for (int i = 0; i < BURST; i++) {
      limiter.acquire(0);
    }

    assertThat(limiter.acquire(10 * MS)).as("half a token after 10 ms").isEqualTo(Verdict.REFUSE);
    assertThat(limiter.acquire(21 * MS)).as("one token after 20 ms").isEqualTo(Verdict.ALLOW);
    assertThat(limiter.acquire(21 * MS)).isEqualTo(Verdict.REFUSE);
  }

  @Test
  void oneSecondRefillsTheSteadyRateOfMessages() {
    RateLimiter limiter = limiter(0);
    for (int i = 0; i < BURST; i++) {
      limiter.acquire(0);
    }

    long t = S + 10 * MS; // 50.5 tokens
    int allowed = 0;
    while (limiter.acquire(t) == Verdict.ALLOW) {
      allowed++;
    }

    assertThat(allowed).isEqualTo(RATE);
  }

  @Test
  void tokensNeverExceedTheBurstHoweverLongTheClientWasIdle() {
    RateLimiter limiter = limiter(0);

    long later = 3_600 * S;
    for (int i = 0; i < BURST; i++) {
      assertThat(limiter.acquire(later)).isEqualTo(Verdict.ALLOW);
    }
    assertThat(limiter.acquire(later)).isEqualTo(Verdict.REFUSE);
  }

  @Test
  void aClientAtTheSteadyRateIsNeverRefused() {
    RateLimiter limiter = limiter(0);

    Map<Verdict, Integer> counts = offer(limiter, 0, 120 * S, 20 * MS);

    assertThat(counts).containsOnlyKeys(Verdict.ALLOW);
  }

  @Test
  void aClientAtTwiceTheRateGetsTheBurstPlusTheSteadyRate() {
    RateLimiter limiter = limiter(0);

    Map<Verdict, Integer> counts = offer(limiter, 0, 8 * S, 10 * MS);

    assertThat(counts.get(Verdict.ALLOW)).isBetween(BURST + 8 * RATE - 1, BURST + 8 * RATE + 1);
    assertThat(counts).doesNotContainKey(Verdict.REFUSE_AND_CLOSE);
  }

  @Test
  void excessShorterThanTheSustainSpanIsRefusedButNotClosed() {
    RateLimiter limiter = limiter(0);

    long close = floodFrom(limiter, S, S + 9_900 * MS);

    assertThat(close).isEqualTo(-1);
  }

  @Test
  void sustainedExcessClosesOnceItHasLastedTheSustainSpan() {
    RateLimiter limiter = limiter(0);
    long start = S;

    long close = floodFrom(limiter, start, start + 20 * S);

    assertThat(close).as("close time").isNotEqualTo(-1);
    assertThat(close - start).isBetween(10 * S, 10 * S + 100 * MS);
  }

  @Test
  void sustainedExcessStartingMidSecondIsNotClosedBeforeTheSustainSpan() {
    RateLimiter limiter = limiter(0);
    long start = 1_900 * MS;

    long close = floodFrom(limiter, start, start + 20 * S);

    assertThat(close).as("close time").isNotEqualTo(-1);
    assertThat(close - start)
        .as("excess lasted %d ms when closed", (close - start) / MS)
        .isBetween(10 * S, 11 * S);
  }

  @Test
  void verdictsDoNotDependOnWhereTheNanoClockStarts() {
    // System.nanoTime() has an arbitrary origin and may be negative.
    long positiveStart = 1_500 * MS;
    long negativeStart = positiveStart - 10 * S;

    long closeAfterPositive =
        floodFrom(limiter(positiveStart - S), positiveStart, positiveStart + 20 * S);
    long closeAfterNegative =
        floodFrom(limiter(negativeStart - S), negativeStart, negativeStart + 20 * S);

    assertThat(closeAfterNegative - negativeStart).isEqualTo(closeAfterPositive - positiveStart);
  }

  @Test
  void excessWithAGapIsNeverClosed() {
    RateLimiter limiter = limiter(0);
    // Nine and a half seconds of flood, a second and a half at a quarter of the rate, flood again.
    long close = floodFrom(limiter, S, 10_500 * MS);
    assertThat(close).isEqualTo(-1);

    Map<Verdict, Integer> calm = offer(limiter, 10_500 * MS, 12 * S, 80 * MS);
    assertThat(calm).containsOnlyKeys(Verdict.ALLOW);

    Map<Verdict, Integer> again = offer(limiter, 12 * S, 21_900 * MS, FLOOD_STEP);
    assertThat(again).containsKey(Verdict.REFUSE).doesNotContainKey(Verdict.REFUSE_AND_CLOSE);
  }

  @Test
  void excessWithASilentGapIsNeverClosed() {
    RateLimiter limiter = limiter(0);
    long close = floodFrom(limiter, S, 10_500 * MS);
    assertThat(close).isEqualTo(-1);

    // Nothing at all from 10.5 s to 12 s.
    Map<Verdict, Integer> again = offer(limiter, 12 * S, 21_900 * MS, FLOOD_STEP);

    assertThat(again).containsKey(Verdict.REFUSE).doesNotContainKey(Verdict.REFUSE_AND_CLOSE);
  }

  @Test
  void aGapResetsTheSpanSoTheExcessBeforeItIsNotCounted() {
    RateLimiter limiter = limiter(0);
    floodFrom(limiter, S, 10_500 * MS);
    offer(limiter, 10_500 * MS, 12 * S, 80 * MS);

    // Tokens refilled during the calm gap; refusals resume within the second starting at 12 s.
    long firstRefusal = -1;
    long close = -1;
    for (long t = 12 * S; t < 40 * S && close < 0; t += FLOOD_STEP) {
      Verdict v = limiter.acquire(t);
      if (v != Verdict.ALLOW && firstRefusal < 0) {
        firstRefusal = t;
      }
      if (v == Verdict.REFUSE_AND_CLOSE) {
        close = t;
      }
    }

    assertThat(firstRefusal).isBetween(12 * S, 13 * S);
    // Counting the 9.5 s before the gap would close within a second or two of resuming.
    assertThat(close).as("closed at %d ms", close / MS).isGreaterThan(21 * S);
  }
}
