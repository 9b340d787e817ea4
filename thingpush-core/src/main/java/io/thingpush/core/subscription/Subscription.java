package io.thingpush.core.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.filter.Filter;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Target;
import java.nio.charset.StandardCharsets;

/**
 * One subscription of one connection: its key, the params as sent, its filter, its throttle,
 * and the seam between what a replay or snapshot sent and the live stream. Its identity is its
 * key and its filter's text (SPEC §10): one connection may hold the same key unfiltered and
 * under several filters.
 */
public final class Subscription {
  private static final long NONE = -1;

  private final SubKey key;
  private final Filter filter;
  private final SharedRoutes shares;

  /** Kept encoded: a few dozen bytes instead of a tree, for every subscription of every connection. */
  private final byte[] params;

  private long throttleMillis;
  private long seam = NONE;
  private long replayedAfter = NONE;

  /**
   * @param throttleMillis at most one push per device and property per interval; 0 for none
   * @param filter what a push must pass; null for every event
   */
  public Subscription(SubKey key, JsonNode params, long throttleMillis, Filter filter) {
    this.key = key;
    this.filter = filter;
    this.shares = key.target().kind() == Target.Kind.SHARES ? new SharedRoutes() : null;
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

  /** What a push of this subscription must pass; null when it has no filter. */
  public Filter filter() {
    return filter;
  }

  /** The filter's text, or null: with the key, what names this subscription. */
  public String filterText() {
    return filter == null ? null : filter.expression();
  }

  /** The devices a {@code {shareDevice: true}} subscription is routed to; null for any other. */
  public SharedRoutes shares() {
    return shares;
  }

  /** The {@code params} object as the client sent it, for messages about this subscription. */
  public JsonNode params() {
    return Json.parseOrNull(new String(params, StandardCharsets.UTF_8));
  }

  /**
   * Where this subscription's live stream starts, the {@code seq} its reply names: live events
   * up to it do not go through it (a replay or snapshot covered those it had to send). -1 until
   * the first reply.
   */
  public long seam() {
    return seam;
  }

  /** Whether this subscription's replay already sent the matching event {@code seq}. */
  public boolean wasReplayed(long seq) {
    return seq > replayedAfter && seq <= seam;
  }

  /**
   * A subscribe without {@code since} or {@code snapshot}: the live stream starts after {@code
   * head}, unless an earlier subscribe of the same key already set where it starts (moving it
   * would skip events that subscription still owes).
   */
  public void startLiveAfter(long head) {
    if (seam == NONE) {
      seam = head;
      replayedAfter = head;
    }
  }

  /**
   * A replay of the held events after {@code since} (or a snapshot: nothing replayed, {@code
   * since} = {@code upTo}) covered this subscription up to {@code upTo}: the live stream starts
   * after it.
   */
  public void startLiveAfterReplay(long upTo, long since) {
    seam = Math.max(seam, upTo);
    replayedAfter = since;
  }
}
