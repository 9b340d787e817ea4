package io.thingpush.core.subscription;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One subscription of one connection: its key, the params as sent, its throttle, and the seam
 * between what a replay or snapshot sent and the live stream.
 */
public final class Subscription {
  private final SubKey key;
  private final JsonNode params;
  private long throttleMillis;
  private long replayedUpTo;

  /** @param throttleMillis at most one push per device and property per interval; 0 for none */
  public Subscription(SubKey key, JsonNode params, long throttleMillis) {
    this.key = key;
    this.params = params;
    this.throttleMillis = throttleMillis;
  }

  public long throttleMillis() {
    return throttleMillis;
  }

  /** A repeated subscribe keeps the subscription and takes its new throttle. */
  public void throttleMillis(long millis) {
    throttleMillis = millis;
  }

  public SubKey key() {
    return key;
  }

  /** The {@code params} object as the client sent it, for messages about this subscription. */
  public JsonNode params() {
    return params;
  }

  /** Live events up to this seq are already covered by a replay or snapshot and are skipped. */
  public long replayedUpTo() {
    return replayedUpTo;
  }

  public void replayedUpTo(long seq) {
    replayedUpTo = Math.max(replayedUpTo, seq);
  }
}
