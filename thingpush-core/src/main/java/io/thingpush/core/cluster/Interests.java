package io.thingpush.core.cluster;

import io.thingpush.core.subscription.SubKey;
import io.thingpush.protocol.Target;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * This node's interest on the cluster bus, counted per key: the first local subscription of a
 * key opens it on the bus, the last one to leave closes it after a short delay (a client that
 * resubscribes at once keeps it). Property subscriptions share their device's interest; the
 * device's events are filtered locally. Called on subscribe and unsubscribe, never per event.
 */
public final class Interests {
  private final ClusterBus bus;
  private final ScheduledExecutorService scheduler;
  private final long closeDelayMillis;
  private final Map<SubKey, Entry> entries = new HashMap<>();

  private static final class Entry {
    int holders;
    CompletableFuture<Void> open;
    ScheduledFuture<?> closing;
  }

  public Interests(ClusterBus bus, ScheduledExecutorService scheduler, long closeDelayMillis) {
    this.bus = bus;
    this.scheduler = scheduler;
    this.closeDelayMillis = closeDelayMillis;
  }

  /** The bus key an index key needs: its own, or its device's for a property or a shared device. */
  public static SubKey busKey(SubKey key) {
    Target t = key.target();
    return t.kind() == Target.Kind.PROPERTY || t.kind() == Target.Kind.SHARED_DEVICE
        ? new SubKey(key.code(), Target.device(t.productID(), t.deviceName()))
        : key;
  }

  /** One more subscription of {@code key} on this node; completes when its interest is open. */
  public synchronized CompletionStage<Void> acquire(SubKey key) {
    SubKey busKey = busKey(key);
    Entry entry = entries.computeIfAbsent(busKey, k -> new Entry());
    entry.holders++;
    if (entry.closing != null) {
      entry.closing.cancel(false);
      entry.closing = null;
    }
    if (entry.open == null || entry.open.isCompletedExceptionally()) {
      entry.open = bus.open(busKey).toCompletableFuture();
    }
    return entry.open;
  }

  /** Completes when the interest a held {@code key} needs is open (opening it again if that failed). */
  public synchronized CompletionStage<Void> whenOpen(SubKey key) {
    SubKey busKey = busKey(key);
    Entry entry = entries.get(busKey);
    if (entry == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (entry.open.isCompletedExceptionally()) {
      entry.open = bus.open(busKey).toCompletableFuture();
    }
    return entry.open;
  }

  /** One subscription of {@code key} fewer; the last one closes the interest after the delay. */
  public synchronized void release(SubKey key) {
    SubKey busKey = busKey(key);
    Entry entry = entries.get(busKey);
    if (entry == null || --entry.holders > 0) {
      return;
    }
    entry.closing =
        scheduler.schedule(
            () -> closeUnused(busKey, entry), closeDelayMillis, TimeUnit.MILLISECONDS);
  }

  private synchronized void closeUnused(SubKey busKey, Entry entry) {
    if (entries.get(busKey) == entry && entry.holders == 0) {
      entries.remove(busKey);
      bus.close(busKey);
    }
  }

  /** The keys open on the bus now (those waiting for their close delay included). */
  public synchronized Set<SubKey> open() {
    return Set.copyOf(entries.keySet());
  }
}
