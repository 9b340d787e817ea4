package io.thingpush.core.subscription;

import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The index keys a {@code {shareDevice: true}} subscription holds: one per device shared with
 * its user ({@link io.thingpush.protocol.Target.Kind#SHARED_DEVICE}). The set follows the shares
 * from the subscription's thread and from registry changes, so it has a lock of its own; the index
 * is changed under it, so the last set computed is the one routed.
 */
public final class SharedRoutes {
  private Set<SubKey> routes = Set.of();
  private boolean closed;

  /**
   * Makes the routes the set {@code now} computes (under this lock, so that it reads the newest
   * registry): {@code add} runs for each new key, {@code remove} for each key no longer in it.
   * Nothing happens once closed.
   */
  public synchronized void follow(
      Supplier<Set<SubKey>> now, Consumer<SubKey> add, Consumer<SubKey> remove) {
    if (closed) {
      return;
    }
    Set<SubKey> next = Set.copyOf(now.get());
    for (SubKey key : next) {
      if (!routes.contains(key)) {
        add.accept(key);
      }
    }
    for (SubKey key : routes) {
      if (!next.contains(key)) {
        remove.accept(key);
      }
    }
    routes = next;
  }

  /** The subscription ended: {@code remove} runs for each key, and the routes follow nothing any more. */
  public synchronized void close(Consumer<SubKey> remove) {
    if (!closed) {
      closed = true;
      routes.forEach(remove);
      routes = Set.of();
    }
  }

  public synchronized Set<SubKey> current() {
    return routes;
  }
}
