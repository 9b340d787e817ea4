package io.thingpush.server;

import io.thingpush.core.cluster.LocalRegistryChanges;
import io.thingpush.core.cluster.RegistryChanges;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.LatestStore;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.feed.Feed;
import io.thingpush.core.session.ConnectionQuota;
import io.thingpush.server.nats.NatsCluster;
import io.thingpush.server.observe.Health;
import io.thingpush.server.observe.LocalNode;
import io.thingpush.server.observe.Nodes;
import io.thingpush.server.observe.ServerMetrics;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * What a node shares with the other nodes of the service, chosen once at start: embedded (the
 * node alone, in memory) or NATS (a cluster). The rest of the node is wired the same either way.
 */
public interface Backplane extends AutoCloseable {
  /** The node's name in the operator's view. */
  String nodeName();

  /** Where events get their seq and stay as history. */
  EventLog log();

  /** Where snapshot values are read. */
  LatestStore latest();

  /** Counts connections per user and tenant over the whole service. */
  ConnectionQuota quota();

  /** The connectIDs of this node: never one given before, here or on another node. */
  LongSupplier connectIds();

  /** This node's hub: on NATS, its subscriptions say which events the node's tail takes. */
  Hub hub(ScheduledExecutorService scheduler);

  /**
   * Where registry changes are announced: {@code hooks} runs them on this node, at once on its
   * own, or when {@code feed} reaches them in the event log.
   */
  RegistryChanges registryChanges(LocalRegistryChanges hooks, Feed feed);

  /** The nodes the operator's API answers for. */
  Nodes nodes(LocalNode local);

  /** Adds the backplane's meters and readiness checks. */
  void observe(ServerMetrics metrics, Health health, Feed feed);

  /** The cluster's NATS connection, for a publish endpoint that shares it; null when embedded. */
  NatsCluster nats();

  @Override
  void close();
}
