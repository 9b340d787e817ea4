package io.thingpush.core.subscription;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which subscribers hold each key. An event looks up its few keys (property, device, each
 * area up the tree, project), so matching costs the same whatever the number of
 * subscriptions. Readers never lock: each key maps to an immutable array replaced on change.
 *
 * @param <S> the subscriber, compared by identity
 */
public final class SubscriptionIndex<S> {
  private static final Object[] NONE = new Object[0];

  private final ConcurrentHashMap<SubKey, Object[]> byKey = new ConcurrentHashMap<>();

  /** Adds {@code subscriber} under {@code key}; false when it was already there. */
  public boolean add(SubKey key, S subscriber) {
    boolean[] added = {false};
    byKey.compute(key, (k, current) -> {
      Object[] now = current == null ? NONE : current;
      if (indexOf(now, subscriber) >= 0) {
        return now;
      }
      added[0] = true;
      Object[] next = Arrays.copyOf(now, now.length + 1);
      next[now.length] = subscriber;
      return next;
    });
    return added[0];
  }

  /** Removes {@code subscriber} from {@code key}; false when it was not there. */
  public boolean remove(SubKey key, S subscriber) {
    boolean[] removed = {false};
    byKey.computeIfPresent(key, (k, current) -> {
      int i = indexOf(current, subscriber);
      if (i < 0) {
        return current;
      }
      removed[0] = true;
      if (current.length == 1) {
        return null;
      }
      Object[] next = new Object[current.length - 1];
      System.arraycopy(current, 0, next, 0, i);
      System.arraycopy(current, i + 1, next, i, current.length - i - 1);
      return next;
    });
    return removed[0];
  }

  /** Calls {@code action} for every subscriber of {@code key}. */
  @SuppressWarnings("unchecked")
  public void forEach(SubKey key, Consumer<? super S> action) {
    Object[] subscribers = byKey.get(key);
    if (subscribers != null) {
      for (Object s : subscribers) {
        action.accept((S) s);
      }
    }
  }

  /** The number of keys with at least one subscriber. */
  public int keyCount() {
    return byKey.size();
  }

  private static int indexOf(Object[] array, Object subscriber) {
    for (int i = 0; i < array.length; i++) {
      if (array[i] == subscriber) {
        return i;
      }
    }
    return -1;
  }
}
