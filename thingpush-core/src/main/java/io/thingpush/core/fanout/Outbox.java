package io.thingpush.core.fanout;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The frames a connection could not take yet, bounded by count and bytes. A frame with a
 * conflation key replaces an unsent older frame with the same key (the newest value of one
 * device property wins); it goes to the tail, so frames keep the order of their seq. Frames
 * without a key are never dropped or reordered.
 */
public final class Outbox {
  private static final class Entry {
    final byte[] frame;
    final Object key;
    boolean superseded;

    Entry(byte[] frame, Object key) {
      this.frame = frame;
      this.key = key;
    }
  }

  private final int maxFrames;
  private final long maxBytes;
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private final Map<Object, Entry> newestByKey = new HashMap<>();
  private int frames;
  private long bytes;
  private long conflated;

  public Outbox(int maxFrames, long maxBytes) {
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  /**
   * Queues {@code frame}; {@code conflationKey} may be null. Returns false, queueing nothing,
   * when the frame does not fit: the connection must then give up.
   */
  public boolean offer(byte[] frame, Object conflationKey) {
    Entry older = conflationKey == null ? null : newestByKey.get(conflationKey);
    int framesAfter = frames + (older == null ? 1 : 0);
    long bytesAfter = bytes + frame.length - (older == null ? 0 : older.frame.length);
    if (framesAfter > maxFrames || bytesAfter > maxBytes) {
      return false;
    }
    if (older != null) {
      older.superseded = true;
      conflated++;
    }
    Entry entry = new Entry(frame, conflationKey);
    queue.addLast(entry);
    if (conflationKey != null) {
      newestByKey.put(conflationKey, entry);
    }
    frames = framesAfter;
    bytes = bytesAfter;
    if (queue.size() > 2 * frames + 16) {
      queue.removeIf(e -> e.superseded);
    }
    return true;
  }

  /** The oldest unsent frame, or null. */
  public byte[] poll() {
    Entry entry;
    do {
      entry = queue.pollFirst();
    } while (entry != null && entry.superseded);
    if (entry == null) {
      return null;
    }
    if (entry.key != null) {
      newestByKey.remove(entry.key);
    }
    frames--;
    bytes -= entry.frame.length;
    return entry.frame;
  }

  public boolean isEmpty() {
    return frames == 0;
  }

  public int frames() {
    return frames;
  }

  public long bytes() {
    return bytes;
  }

  /** How many frames were replaced by a newer one with the same key, in all. */
  public long conflated() {
    return conflated;
  }
}
