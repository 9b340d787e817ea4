package io.thingpush.server.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.thingpush.core.device.DevicePresence;
import io.thingpush.core.fanout.FanoutMetrics;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.feed.Feed;
import io.thingpush.core.ingest.IngestMetrics;
import io.thingpush.core.session.Session;
import io.thingpush.core.session.Sessions;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.SubCode;
import io.thingpush.server.mqtt.DeviceMetrics;
import io.thingpush.server.nats.WatchedKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Prometheus metrics of one node (docs/operations.md lists them): connections (per tenant),
 * subscriptions per code, events in per source, platform publishes refused, deliveries,
 * encodings, conflations, drops, closes per code, outbox depth, ingest → write latency of live
 * pushes, device disconnects, and the JVM's and the process's own.
 */
public final class ServerMetrics
    implements FanoutMetrics, IngestMetrics, DeviceMetrics, AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter liveDeliveries = deliveries("live");
  private final Counter replayDeliveries = deliveries("replay");
  private final Counter snapshotDeliveries = deliveries("snapshot");
  private final Counter acknowledgementsLost =
      Counter.builder("thingpush_device_acks_lost")
          .description("Acknowledgements not sent to a device because it had left meanwhile")
          .register(registry);
  private final Counter encoded =
      Counter.builder("thingpush_frames_encoded")
          .description(
              "down.pub frames encoded: one per event and language, whatever the number of recipients")
          .register(registry);
  private final Counter conflated =
      Counter.builder("thingpush_conflated")
          .description("Queued property frames replaced by a newer value")
          .register(registry);
  private final Counter dropped =
      Counter.builder("thingpush_dropped")
          .description("Queued frames dropped when a slow connection was closed")
          .register(registry);
  private final Counter filterFailures =
      Counter.builder("thingpush_filter_errors")
          .description(
              "Evaluations of a subscription filter that failed on an event (division by zero, a value"
                  + " of an unexpected type): the event is not pushed through that subscription")
          .register(registry);
  private final DistributionSummary outboxDepth =
      DistributionSummary.builder("thingpush_outbox_depth")
          .description("Frames waiting in a connection's outbox, sampled each time one is queued")
          .publishPercentileHistogram()
          .minimumExpectedValue(1.0)
          .maximumExpectedValue(100_000.0)
          .register(registry);
  private final PushLatency latency =
      new PushLatency(
          registry,
          "From ingest to the write of a live push (replays and snapshots are not in it)");

  /** thingpush_events_in per source, by code: looked up once, not with new tags for every event. */
  private final Map<String, Counter[]> eventsIn = new ConcurrentHashMap<>();

  private final MultiGauge connectionsByTenant =
      MultiGauge.builder("thingpush_connections")
          .description("Open WebSocket connections per tenant")
          .register(registry);

  /** Every tenant that had a connection: its gauge reads 0 once the last one closes, rather than vanishing. */
  private final Set<String> tenantsSeen = ConcurrentHashMap.newKeySet();

  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final boolean tenantLabels;
  private Sessions sessions;

  /**
   * @param tenantLabels count connections per tenant, labelled with its code; else one count for
   *     the node, so that the metrics name no tenant
   */
  public ServerMetrics(boolean tenantLabels) {
    this.tenantLabels = tenantLabels;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  private Counter deliveries(String kind) {
    return Counter.builder("thingpush_deliveries")
        .description(
            "Event frames handed to connections: live, from a history replay (since), or a snapshot")
        .tag("kind", kind)
        .register(registry);
  }

  /** Registers the gauges read from the live hub and sessions. */
  public void bind(Hub hub, Sessions sessions) {
    this.sessions = sessions;
    if (!tenantLabels) {
      Gauge.builder("thingpush_connections", sessions, s -> s.open().size())
          .description("Open WebSocket connections")
          .register(registry);
    }
    for (SubCode code : SubCode.values()) {
      Gauge.builder("thingpush_subscriptions", hub, h -> h.subscriptionCount(code))
          .description("Subscriptions held by open connections, per code")
          .tag("code", code.wire())
          .register(registry);
    }
  }

  /** Registers the meters of the event stream's tail in cluster mode. */
  public void bindCluster(Feed feed, WatchedKeys keys) {
    FunctionCounter.builder("thingpush_cluster_events_received", feed, Feed::eventsFed)
        .description(
            "Events of the stream this node fed to its hub (only those its connections watch)")
        .register(registry);
    Gauge.builder("thingpush_cluster_keys", keys, WatchedKeys::count)
        .description("Keys (device, area, project per code) this node's connections watch")
        .register(registry);
  }

  /** Registers the meters of the feed, the hub's input: what it dropped as repeats, the gaps it read back. */
  public void bind(Feed feed) {
    FunctionCounter.builder("thingpush_feed_repeats_dropped", feed, Feed::repeats)
        .description("Log entries the feed got again and dropped")
        .register(registry);
    FunctionCounter.builder("thingpush_feed_gaps_read", feed, Feed::gapReads)
        .description("Gaps before an entry that arrived early, read back from the event log")
        .register(registry);
  }

  /** Registers the gauge of devices connected to this node's MQTT endpoint. */
  public void bind(DevicePresence presence) {
    Gauge.builder("thingpush_devices_connected", presence, DevicePresence::connected)
        .description("Devices connected to the embedded MQTT endpoint")
        .register(registry);
  }

  @Override
  public void ingested(String source, SubCode code) {
    Counter[] ofSource =
        eventsIn.computeIfAbsent(source, s -> new Counter[SubCode.values().length]);
    Counter counter = ofSource[code.ordinal()];
    if (counter == null) {
      // Two threads may both get here: the registry gives both the same counter.
      counter = registry.counter("thingpush_events_in", "source", source, "code", code.wire());
      ofSource[code.ordinal()] = counter;
    }
    counter.increment();
  }

  /** A platform's publish that repeated the idempotency key of a stored event, per way in. */
  public void repeated(String source) {
    registry.counter("thingpush_publish_repeats", "source", source).increment();
  }

  /** A platform's publish refused with {@code code}, per way in ({@code http}, {@code nats}). */
  public void refused(String source, ErrorCode code) {
    registry
        .counter(
            "thingpush_publish_refused", "source", source, "code", Integer.toString(code.code()))
        .increment();
  }

  @Override
  public void pushed(long nanos, int frames) {
    liveDeliveries.increment(frames);
    latency.record(nanos, frames);
  }

  @Override
  public void replayed() {
    replayDeliveries.increment();
  }

  @Override
  public void snapshotPushed() {
    snapshotDeliveries.increment();
  }

  @Override
  public void disconnected(String reason) {
    registry.counter("thingpush_device_disconnects", "reason", reason).increment();
  }

  @Override
  public void acknowledgementLost() {
    acknowledgementsLost.increment();
  }

  @Override
  public void bridgePublishDropped(String reason) {
    registry.counter("thingpush_bridge_publishes_dropped", "reason", reason).increment();
  }

  @Override
  public void encoded() {
    encoded.increment();
  }

  @Override
  public void queued(int depth) {
    outboxDepth.record(depth);
  }

  @Override
  public void conflated() {
    conflated.increment();
  }

  @Override
  public void dropped(int frames) {
    dropped.increment(frames);
  }

  @Override
  public void filterFailed() {
    filterFailures.increment();
  }

  /** The server closed a connection with {@code code}. */
  public void closed(CloseCode code) {
    registry.counter("thingpush_closes", "code", Integer.toString(code.code())).increment();
  }

  /** The counters the operator view reads, now (docs/admin-api.md). */
  NodeSample sample() {
    long nanos = System.nanoTime();
    double in =
        registry.find("thingpush_events_in").counters().stream().mapToDouble(Counter::count).sum();
    double out = liveDeliveries.count() + replayDeliveries.count() + snapshotDeliveries.count();
    Counter slow =
        registry
            .find("thingpush_closes")
            .tag("code", Integer.toString(CloseCode.TOO_SLOW.code()))
            .counter();
    return new NodeSample(
        nanos,
        (long) in,
        (long) out,
        (long) dropped.count(),
        slow == null ? 0 : (long) slow.count(),
        latency.boundsNanos(),
        latency.cumulativeCounts());
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    if (sessions != null && tenantLabels) {
      Map<String, Integer> byTenant = new HashMap<>();
      for (Session s : sessions.open()) {
        byTenant.merge(s.principal().tenantCode(), 1, Integer::sum);
      }
      tenantsSeen.addAll(byTenant.keySet());
      for (String tenant : tenantsSeen) {
        byTenant.putIfAbsent(tenant, 0);
      }
      List<MultiGauge.Row<?>> rows =
          byTenant.entrySet().stream()
              .<MultiGauge.Row<?>>map(
                  e -> MultiGauge.Row.of(Tags.of("tenant", e.getKey()), e.getValue()))
              .toList();
      connectionsByTenant.register(rows, true);
    }
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
  }
}
