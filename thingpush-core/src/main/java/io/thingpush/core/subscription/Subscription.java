package io.thingpush.core.subscription;

import com.fasterxml.jackson.databind.JsonNode;

/** One subscription of one connection: its key, the params as sent, and its replay seam. */
public final class Subscription {
  private final SubKey key;
  private final JsonNode params;
  private long replayedUpTo;

  public Subscription(SubKey key, JsonNode params) {
    this.key = key;
    this.params = params;
  }

  public SubKey key() {
    return key;
  }

  /** The {@code params} object as the client sent it, for messages about this subscription. */
  public JsonNode params() {
    return params;
  }

  /** Live events up to this seq were already sent by a history replay and are skipped. */
  public long replayedUpTo() {
    return replayedUpTo;
  }

  public void replayedUpTo(long seq) {
    replayedUpTo = Math.max(replayedUpTo, seq);
  }
}
