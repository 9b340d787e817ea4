package io.thingpush.core.time;

import java.util.Arrays;

/**
 * Members each due at a time, soonest first: a binary heap whose entries know their place in it,
 * so that any member leaves in O(log n) and the soonest is found at once. One alarm set for the
 * soonest then serves them all, where a timer each would cost every member its own task.
 */
public final class Deadlines<M> {
  /** A member's place: what {@link #remove} takes. */
  public static final class Entry<M> {
    private final M member;
    private final long at;
    // Where it is in the heap; -1 once it left.
    private int index;

    private Entry(M member, long at, int index) {
      this.member = member;
      this.at = at;
      this.index = index;
    }

    public M member() {
      return member;
    }

    /** When it is due. */
    public long at() {
      return at;
    }
  }

  @SuppressWarnings("unchecked")
  private Entry<M>[] heap = new Entry[8];

  private int size;

  /** Adds {@code member}, due at {@code at}; the entry it returns is what {@link #remove} takes. */
  public Entry<M> add(M member, long at) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    Entry<M> entry = new Entry<>(member, at, size);
    heap[size++] = entry;
    up(entry.index);
    return entry;
  }

  /** Removes the entry; nothing when it left already. */
  public void remove(Entry<M> entry) {
    int i = entry.index;
    if (i < 0) {
      return;
    }
    entry.index = -1;
    Entry<M> last = heap[--size];
    heap[size] = null;
    if (i < size) {
      place(last, i);
      down(i);
      up(last.index);
    }
  }

  /** The soonest entry, or null when there is none. */
  public Entry<M> soonest() {
    return size == 0 ? null : heap[0];
  }

  public int size() {
    return size;
  }

  private void up(int i) {
    Entry<M> entry = heap[i];
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (heap[parent].at <= entry.at) {
        break;
      }
      place(heap[parent], i);
      i = parent;
    }
    place(entry, i);
  }

  private void down(int i) {
    Entry<M> entry = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1].at < heap[child].at) {
        child++;
      }
      if (entry.at <= heap[child].at) {
        break;
      }
      place(heap[child], i);
      i = child;
    }
    place(entry, i);
  }

  private void place(Entry<M> entry, int i) {
    heap[i] = entry;
    entry.index = i;
  }
}
