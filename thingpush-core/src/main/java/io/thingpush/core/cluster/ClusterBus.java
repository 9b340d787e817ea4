package io.thingpush.core.cluster;

import io.thingpush.core.subscription.SubKey;
import java.util.concurrent.CompletionStage;

/**
 * The cluster bus as the core sees it: a node tells which keys its connections watch, and the
 * bus feeds it those events (and only those) in seq order through the handler the node gave
 * it. Publishing is the event log's append: every appended event reaches the nodes that
 * watch it.
 */
public interface ClusterBus {
  /**
   * Starts receiving the events of {@code key} (a device, area or project key). Completes once
   * every event appended from then on is sure to arrive.
   */
  CompletionStage<Void> open(SubKey key);

  /** Stops receiving the events of {@code key}. */
  void close(SubKey key);
}
