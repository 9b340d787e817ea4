package io.thingpush.server.nats;

import io.thingpush.core.cluster.ClusterBus;
import io.thingpush.core.cluster.Interests;
import io.thingpush.core.events.Event;
import io.thingpush.core.subscription.SubKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys this node's connections watch: the stream's tail decodes and hands on only the
 * events of these keys, and moves past the others. Opening a key takes effect for every event
 * the tail reads from then on, so it completes at once.
 */
public final class WatchedKeys implements ClusterBus {
  private static final CompletionStage<Void> OPEN = CompletableFuture.completedFuture(null);

  private final Set<SubKey> keys = ConcurrentHashMap.newKeySet();

  @Override
  public CompletionStage<Void> open(SubKey key) {
    keys.add(key);
    return OPEN;
  }

  @Override
  public void close(SubKey key) {
    keys.remove(key);
  }

  /** Whether a connection of this node watches {@code event}. */
  boolean watches(Event event) {
    if (keys.isEmpty()) {
      return false;
    }
    for (SubKey key : event.keys()) {
      if (keys.contains(Interests.busKey(key))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a connection of this node watches one of {@code busKeys}. */
  boolean watchesAny(List<SubKey> busKeys) {
    for (SubKey key : busKeys) {
      if (keys.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** How many keys are watched. */
  public int count() {
    return keys.size();
  }
}
