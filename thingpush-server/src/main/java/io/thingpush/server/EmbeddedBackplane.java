package io.thingpush.server;

import io.thingpush.core.cluster.LocalRegistryChanges;
import io.thingpush.core.cluster.RegistryChanges;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.InMemoryEventLog;
import io.thingpush.core.events.LatestStore;
import io.thingpush.core.events.LatestValues;
import io.thingpush.core.events.RepeatWindow;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.feed.Feed;
import io.thingpush.core.session.ConnectionQuota;
import io.thingpush.core.session.LocalConnectionQuota;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.nats.NatsCluster;
import io.thingpush.server.observe.Health;
import io.thingpush.server.observe.LocalNode;
import io.thingpush.server.observe.Nodes;
import io.thingpush.server.observe.ServerMetrics;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** One node on its own: the event log, latest values and connection counts in memory. */
final class EmbeddedBackplane implements Backplane {
  private final InMemoryEventLog log;
  private final LatestValues latest = new LatestValues();
  private final LocalConnectionQuota quota;
  private final AtomicLong connectIds;

  EmbeddedBackplane(ThingPushConfig config, Clock clock) {
    ThingPushConfig.History h = config.history();
    this.log =
        new InMemoryEventLog(
            h.maxEvents(),
            h.maxAgeMs(),
            clock,
            InMemoryEventLog.firstSeqAt(clock),
            new RepeatWindow(h.idempotencyMaxKeys(), h.idempotencyWindowMs()));
    this.quota =
        new LocalConnectionQuota(
            config.limits().connectionsPerUser(), config.limits().connectionsPerTenant());
    // Counted from the start time like seqs, so a restarted node never gives an earlier run's ids
    // again.
    this.connectIds = new AtomicLong(clock.millis() * 1000);
  }

  @Override
  public String nodeName() {
    return "local";
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
    return new Hub();
  }

  /** The hooks themselves: a change runs at once, between two events (the feed's lock). */
  @Override
  public RegistryChanges registryChanges(LocalRegistryChanges hooks, Feed feed) {
    return hooks;
  }

  @Override
  public Nodes nodes(LocalNode local) {
    return local;
  }

  @Override
  public void observe(ServerMetrics metrics, Health health, Feed feed) {}

  @Override
  public NatsCluster nats() {
    return null;
  }

  @Override
  public void close() {}
}
