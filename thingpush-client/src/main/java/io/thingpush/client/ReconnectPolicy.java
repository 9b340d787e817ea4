package io.thingpush.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When a {@link ReconnectingClient} tries again and how it watches a live connection.
 *
 * <p>Attempt {@code n} (0-based) waits {@code min(maxDelay, minDelay · factor^n)} minus a random
 * part of up to {@code jitter} of it, so clients dropped together do not come back together;
 * after a 4029 close {@code limitPause} is added. Every {@code heartbeat} the client pings
 * ({@code up.ping}); a ping not answered within {@code heartbeatTimeout} counts the link dead.
 * A token is refreshed {@code refreshBefore} its expiry.
 */
public record ReconnectPolicy(
    Duration minDelay,
    Duration maxDelay,
    double factor,
    double jitter,
    Duration limitPause,
    Duration heartbeat,
    Duration heartbeatTimeout,
    Duration refreshBefore) {

  public ReconnectPolicy {
    Objects.requireNonNull(minDelay, "minDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(limitPause, "limitPause");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
    Objects.requireNonNull(refreshBefore, "refreshBefore");
    if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException("need 0 <= minDelay <= maxDelay");
    }
    if (factor < 1 || jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("need factor >= 1 and 0 <= jitter <= 1");
    }
  }

  /** 0.5 s doubling up to 30 s, half of it jitter; 10 s more after 4029; ping every 20 s, 10 s to answer; refresh 60 s ahead. */
  public static ReconnectPolicy defaults() {
    return new ReconnectPolicy(
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        2,
        0.5,
        Duration.ofSeconds(10),
        Duration.ofSeconds(20),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60));
  }

  public ReconnectPolicy withDelays(Duration min, Duration max) {
    return new ReconnectPolicy(
        min, max, factor, jitter, limitPause, heartbeat, heartbeatTimeout, refreshBefore);
  }

  /** {@code interval} zero turns the heartbeat off. */
  public ReconnectPolicy withHeartbeat(Duration interval, Duration timeout) {
    return new ReconnectPolicy(
        minDelay, maxDelay, factor, jitter, limitPause, interval, timeout, refreshBefore);
  }

  public ReconnectPolicy withRefreshBefore(Duration before) {
    return new ReconnectPolicy(
        minDelay, maxDelay, factor, jitter, limitPause, heartbeat, heartbeatTimeout, before);
  }

  /** The wait before attempt {@code attempt}; {@code random} gives values in [0, 1). */
  public Duration delay(int attempt, DoubleSupplier random) {
    double ceiling =
        Math.min(
            maxDelay.toMillis(), minDelay.toMillis() * Math.pow(factor, Math.min(attempt, 62)));
    return Duration.ofMillis(Math.round(ceiling * (1 - jitter * random.getAsDouble())));
  }

  /** Whether a close with {@code code} can be followed by a reconnect with the same parameters. */
  static boolean retryable(int code) {
    return code != 4000 && code != 4003 && code != 1009 && code != 1000;
  }
}
