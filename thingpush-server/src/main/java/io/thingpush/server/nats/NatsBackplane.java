package io.thingpush.server.nats;

import io.thingpush.core.cluster.Interests;
import io.thingpush.core.cluster.LocalRegistryChanges;
import io.thingpush.core.cluster.RegistryChanges;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.LatestStore;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.feed.Feed;
import io.thingpush.core.session.ConnectionQuota;
import io.thingpush.server.Backplane;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.observe.Health;
import io.thingpush.server.observe.LocalNode;
import io.thingpush.server.observe.Nodes;
import io.thingpush.server.observe.ServerMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes of a cluster share NATS: the event log is a JetStream stream every node tails,
 * snapshot values and connection counts live in key-value buckets, registry changes travel in
 * the stream, connectIDs come from a node number taken from a bucket counter.
 */
public final class NatsBackplane implements Backplane {
  private static final Logger LOG = LoggerFactory.getLogger(NatsBackplane.class);

  private final ThingPushConfig.Cluster config;
  private final NatsCluster nats;
  private final WatchedKeys watched = new WatchedKeys();
  private final JetStreamEventLog log;
  private final long node;
  private final KvLatestStore latest;
  private final ClusterConnectionQuota quota;
  private final AtomicLong connectIds;
  // Closed last first, before the connection.
  private final List<AutoCloseable> parts = new ArrayList<>();

  private NatsBackplane(ThingPushConfig config, Supplier<Directory> directory) {
    this.config = config.cluster();
    this.nats = NatsCluster.connect(config.cluster(), config.history());
    try {
      this.log = new JetStreamEventLog(nats, directory, watched);
      this.node = NodeNumber.take(nats);
      this.latest = add(new KvLatestStore(nats, log));
      ThingPushConfig.Limits l = config.limits();
      this.quota =
          add(
              new ClusterConnectionQuota(
                  nats, nodeName(), l.connectionsPerUser(), l.connectionsPerTenant()));
      this.connectIds = new AtomicLong(node * NodeNumber.CONNECT_IDS_PER_NODE);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("cluster node {}", node);
  }

  /** Connects to NATS and sets up what the node keeps there; fails naming the URL when NATS does not answer. */
  public static NatsBackplane connect(ThingPushConfig config, Supplier<Directory> directory) {
    return new NatsBackplane(config, directory);
  }

  private <T extends AutoCloseable> T add(T part) {
    parts.add(part);
    return part;
  }

  @Override
  public String nodeName() {
    return "n" + node;
  }

  @Override
  public EventLog log() {
    return log;
  }

  @Override
  public LatestStore latest() {
    return latest;
  }

  @Override
  public ConnectionQuota quota() {
    return quota;
  }

  @Override
  public LongSupplier connectIds() {
    return connectIds::incrementAndGet;
  }

  @Override
  public Hub hub(ScheduledExecutorService scheduler) {
    return new Hub(new Interests(watched, scheduler, config.interestCloseDelayMs()));
  }

  /** Appended to the stream; each node's feed runs {@code hooks} where it reads the change. */
  @Override
  public RegistryChanges registryChanges(LocalRegistryChanges hooks, Feed feed) {
    return new NatsRegistryChanges(nats, log, hooks, feed);
  }

  @Override
  public Nodes nodes(LocalNode local) {
    return add(new NatsNodes(nats, local));
  }

  @Override
  public void observe(ServerMetrics metrics, Health health, Feed feed) {
    metrics.bindCluster(feed, watched);
    health.addReadinessCheck("nats", nats::connected);
  }

  @Override
  public NatsCluster nats() {
    return nats;
  }

  @Override
  public void close() {
    List<AutoCloseable> lastFirst = new ArrayList<>(parts);
    Collections.reverse(lastFirst);
    for (AutoCloseable part : lastFirst) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", part, e);
      }
    }
    nats.close();
  }
}
