package io.thingpush.core.session;

/**
 * A token bucket for client messages, by its {@link Limit}: {@code perSecond} on average, bursts
 * up to {@code burst}. It also tells when the excess has lasted {@code sustainMillis}: refusals
 * with no gap of more than a second between them, from the first to the latest.
 */
public final class RateLimiter {
  public enum Verdict {
    ALLOW,
    REFUSE,
    REFUSE_AND_CLOSE
  }

  /**
   * {@code perSecond} on average, bursts up to {@code burst}, excess closing after {@code
   * sustainMillis}: the same for every connection, so held once rather than by each limiter.
   */
  public static final class Limit {
    private final double perNano;
    private final double burst;
    private final long sustainNanos;

    public Limit(int perSecond, int burst, long sustainMillis) {
      this.perNano = perSecond / 1e9;
      this.burst = burst;
      this.sustainNanos = sustainMillis * 1_000_000L;
    }
  }

  private static final long GAP_NANOS = 1_000_000_000L;

  private final Limit limit;
  private double tokens;
  private long lastNanos;
  private boolean inExcess;
  private long excessSinceNanos;
  private long lastRefusalNanos;

  public RateLimiter(Limit limit, long nowNanos) {
    this.limit = limit;
    this.tokens = limit.burst;
    this.lastNanos = nowNanos;
  }

  public Verdict acquire(long nowNanos) {
    tokens = Math.min(limit.burst, tokens + (nowNanos - lastNanos) * limit.perNano);
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return Verdict.ALLOW;
    }
    if (!inExcess || nowNanos - lastRefusalNanos > GAP_NANOS) {
      inExcess = true;
      excessSinceNanos = nowNanos;
    }
    lastRefusalNanos = nowNanos;
    return nowNanos - excessSinceNanos >= limit.sustainNanos
        ? Verdict.REFUSE_AND_CLOSE
        : Verdict.REFUSE;
  }
}
