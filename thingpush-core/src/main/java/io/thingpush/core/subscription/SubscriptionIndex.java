package io.thingpush.core.subscription;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which subscribers hold each key. An event looks up its few keys (property, device, each
 * area up the tree, project), so matching costs the same whatever the number of
 * subscriptions. Readers never lock: each key maps to an immutable array replaced on change.
 *
 * <p>Adds are counted: a subscriber may hold one key through several subscriptions (the same
 * params with different filters), is listed once, and stays until each of them removed it.
 *
 * @param <S> the subscriber, compared by identity
 */
public final class SubscriptionIndex<S> {
  /** The subscribers of one key, each listed once, and how many times each was added. */
  private record Holders(Object[] subscribers, int[] counts) {}

  private final ConcurrentHashMap<SubKey, Holders> byKey = new ConcurrentHashMap<>();

  /** Adds {@code subscriber} under {@code key}; false when it was already there (it is then held once more). */
  public boolean add(SubKey key, S subscriber) {
    boolean[] added = {false};
    byKey.compute(
        key,
        (k, current) -> {
          if (current == null) {
            added[0] = true;
            return new Holders(new Object[] {subscriber}, new int[] {1});
          }
          int i = indexOf(current.subscribers, subscriber);
          if (i >= 0) {
            int[] counts = current.counts.clone();
            counts[i]++;
            return new Holders(current.subscribers, counts);
          }
          added[0] = true;
          int n = current.subscribers.length;
          Object[] subscribers = Arrays.copyOf(current.subscribers, n + 1);
          subscribers[n] = subscriber;
          int[] counts = Arrays.copyOf(current.counts, n + 1);
          counts[n] = 1;
          return new Holders(subscribers, counts);
        });
    return added[0];
  }

  /**
   * Removes one hold of {@code subscriber} on {@code key}; true when that was its last (it is no
   * longer found under the key), false when it still holds it or was not there.
   */
  public boolean remove(SubKey key, S subscriber) {
    boolean[] removed = {false};
    byKey.computeIfPresent(
        key,
        (k, current) -> {
          int i = indexOf(current.subscribers, subscriber);
          if (i < 0) {
            return current;
          }
          if (current.counts[i] > 1) {
            int[] counts = current.counts.clone();
            counts[i]--;
            return new Holders(current.subscribers, counts);
          }
          removed[0] = true;
          int n = current.subscribers.length;
          if (n == 1) {
            return null;
          }
          Object[] subscribers = new Object[n - 1];
          int[] counts = new int[n - 1];
          System.arraycopy(current.subscribers, 0, subscribers, 0, i);
          System.arraycopy(current.subscribers, i + 1, subscribers, i, n - i - 1);
          System.arraycopy(current.counts, 0, counts, 0, i);
          System.arraycopy(current.counts, i + 1, counts, i, n - i - 1);
          return new Holders(subscribers, counts);
        });
    return removed[0];
  }

  /** Calls {@code action} for every subscriber of {@code key}, once each. */
  @SuppressWarnings("unchecked")
  public void forEach(SubKey key, Consumer<? super S> action) {
    Holders holders = byKey.get(key);
    if (holders != null) {
      for (Object s : holders.subscribers) {
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
