package io.thingpush.core.cluster;

/**
 * Tells every node that the registry changed, so each reloads its directory and re-checks its
 * sessions. On one node the announcement calls the hooks directly; in a cluster it goes over
 * NATS and every node (the announcing one included) calls its hooks.
 */
public interface RegistryChanges {
  /** Announces a change made to the registry database. */
  void announce();

  /** Runs {@code hook} on this node after every announcement, from whichever node it came. */
  void onChange(Runnable hook);
}
