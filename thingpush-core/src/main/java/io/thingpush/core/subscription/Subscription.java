package io.thingpush.core.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.nio.charset.StandardCharsets;

/**
 * One subscription of one connection: its key, the params as sent, its throttle, and the seam
 * between what a replay or snapshot sent and the live stream.
 */
public final class Subscription {
  private final SubKey key;
  /** Kept encoded: a few dozen bytes instead of a tree, for every subscription of every connection. */
  private final byte[] params;
  private long throttleMillis;
  private long replayedUpTo;

  /** @param throttleMillis at most one push per device and property per interval; 0 for none */
  public Subscription(SubKey key, JsonNode params, long throttleMillis) {
    this.key = key;
    this.params = Json.bytes(params);
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
    return Json.parseOrNull(new String(params, StandardCharsets.UTF_8));
  }

  /** Live events up to this seq are already covered by a replay or snapshot and are skipped. */
  public long replayedUpTo() {
    return replayedUpTo;
  }

  public void replayedUpTo(long seq) {
    replayedUpTo = Math.max(replayedUpTo, seq);
  }
}
