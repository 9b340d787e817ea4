package io.thingpush.client;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where each subscription resumes from after a reconnect: the largest of the {@code seq} of its
 * {@code down.subRet} (the server delivers every matching event above it) and the {@code seq}s
 * pushed since. A push counts only when it is above every {@code down.subRet} seq of the
 * connection: at or below, it may be another subscription's replay or snapshot, which can come
 * before an older event of this one still on its way; above, it is live, and live pushes come in
 * seq order, so nothing of this subscription below it is still to come. Subscriptions are named
 * by their key. Pure: no I/O; not thread-safe (the client calls it from one thread).
 */
final class Positions {
  private final Map<String, Long> positions = new HashMap<>();

  /** The subscriptions the current connection holds: answered on it. */
  private final Set<String> held = new HashSet<>();

  private long seam;

  /** A subscribe from the app with {@code since} (null: none); a position never goes back. */
  void subscribe(String key, Long since) {
    if (since != null) {
      positions.merge(key, since, Math::max);
    }
  }

  /** The server accepted a subscribe; {@code seq} is its reply's, null when it has none (an older server). */
  void answered(String key, Long seq) {
    held.add(key);
    if (seq != null) {
      positions.merge(key, seq, Math::max);
      seam = Math.max(seam, seq);
    }
  }

  /** A push came on the current connection. */
  void pushed(long seq) {
    if (seq <= seam) {
      return;
    }
    for (String key : held) {
      positions.merge(key, seq, Math::max);
    }
  }

  /** A new connection: it holds nothing until the server answers its subscribes. */
  void newConnection() {
    held.clear();
    seam = 0;
  }

  /** Where {@code key} resumes from: the {@code since} of its next subscribe, null when there is none yet. */
  Long of(String key) {
    return positions.get(key);
  }

  void remove(String key) {
    positions.remove(key);
    held.remove(key);
  }
}
