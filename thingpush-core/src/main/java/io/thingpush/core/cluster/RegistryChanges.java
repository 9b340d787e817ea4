package io.thingpush.core.cluster;

import java.util.function.Consumer;

/**
 * Tells every node that the registry changed, and what, so each re-reads that much of its
 * directory and re-checks its sessions. On one node the announcement calls the hooks directly;
 * in a cluster it goes over NATS and every node (the announcing one included) calls its hooks.
 */
public interface RegistryChanges {
  /** Announces a change made to the registry database; this node's hooks have run on return. */
  void announce(RegistryChange change);

  /** Runs {@code hook} on this node after every announcement, from whichever node it came. */
  void onChange(Consumer<RegistryChange> hook);
}
