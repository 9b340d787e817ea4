package io.thingpush.core.events;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.OptionalLong;

/**
 * The idempotency keys of the events appended over the last {@code windowMillis}, each with its
 * event's seq, and at most {@code maxKeys} of them (past that the oldest is forgotten first): how
 * the embedded log drops an append that repeats one it already took, as JetStream's duplicate
 * window does in cluster mode. Not thread-safe: its log calls it under its own lock.
 */
public final class RepeatWindow {
  private record Taken(long seq, long atMillis) {}

  private final int maxKeys;
  private final long windowMillis;
  // In the order the keys were taken, so the oldest is at the head.
  private final LinkedHashMap<String, Taken> keys = new LinkedHashMap<>();

  public RepeatWindow(int maxKeys, long windowMillis) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1");
    }
    if (windowMillis < 1) {
      throw new IllegalArgumentException("windowMillis must be at least 1");
    }
    this.maxKeys = maxKeys;
    this.windowMillis = windowMillis;
  }

  /** The seq of the event taken with {@code key} less than the window before {@code nowMillis}, if any. */
  public OptionalLong seqOf(String key, long nowMillis) {
    expire(nowMillis);
    Taken taken = keys.get(key);
    return taken == null ? OptionalLong.empty() : OptionalLong.of(taken.seq());
  }

  /** Remembers that the event with {@code key} was appended at {@code nowMillis} as {@code seq}. */
  public void remember(String key, long seq, long nowMillis) {
    expire(nowMillis);
    // Removed first so that a key taken again moves to the tail, keeping the map in time order.
    keys.remove(key);
    keys.put(key, new Taken(seq, nowMillis));
    if (keys.size() > maxKeys) {
      Iterator<String> oldest = keys.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** How many keys are held now. */
  public int size() {
    return keys.size();
  }

  private void expire(long nowMillis) {
    for (Iterator<Taken> it = keys.values().iterator(); it.hasNext(); ) {
      if (nowMillis - it.next().atMillis() < windowMillis) {
        return;
      }
      it.remove();
    }
  }
}
