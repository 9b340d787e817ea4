package io.thingpush.core.session;

/**
 * A token bucket for client messages: {@code perSecond} on average, bursts up to {@code burst}.
 * It also tells when the excess has lasted {@code sustainMillis}: every second of that span saw
 * a refused message.
 */
public final class RateLimiter {
  public enum Verdict {
    ALLOW,
    REFUSE,
    REFUSE_AND_CLOSE
  }

  private final double perNano;
  private final double burst;
  private final long sustainSeconds;
  private double tokens;
  private long lastNanos;
  private long lastRefusedSecond = Long.MIN_VALUE;
  private long refusedSecondsInARow;

  public RateLimiter(int perSecond, int burst, long sustainMillis, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.sustainSeconds = Math.max(1, sustainMillis / 1000);
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  public Verdict acquire(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * perNano);
    lastNanos = nowNanos;
    long second = nowNanos / 1_000_000_000L;
    if (tokens >= 1) {
      tokens -= 1;
      return Verdict.ALLOW;
    }
    if (second != lastRefusedSecond) {
      refusedSecondsInARow = second == lastRefusedSecond + 1 ? refusedSecondsInARow + 1 : 1;
      lastRefusedSecond = second;
    }
    return refusedSecondsInARow > sustainSeconds ? Verdict.REFUSE_AND_CLOSE : Verdict.REFUSE;
  }
}
