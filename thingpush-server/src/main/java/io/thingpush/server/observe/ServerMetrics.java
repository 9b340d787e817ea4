package io.thingpush.server.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.thingpush.core.device.DevicePresence;
import io.thingpush.core.fanout.FanoutMetrics;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.ingest.IngestMetrics;
import io.thingpush.core.session.Sessions;
import io.thingpush.server.nats.NatsEventFeed;
import io.thingpush.protocol.SubCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The Prometheus metrics of one node: connections, subscriptions, events in and out, drops, latency. */
public final class ServerMetrics implements FanoutMetrics, IngestMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter pushed = Counter.builder("thingpush_deliveries")
      .description("Event frames handed to connections").register(registry);
  private final Counter conflated = Counter.builder("thingpush_conflated")
      .description("Queued property frames replaced by a newer value").register(registry);
  private final Counter dropped = Counter.builder("thingpush_dropped")
      .description("Queued frames dropped when a slow connection was closed").register(registry);
  private final Timer latency = Timer.builder("thingpush_push_latency")
      .description("From ingest to the write of a push")
      .publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofNanos(10_000))
      .maximumExpectedValue(Duration.ofSeconds(10))
      .register(registry);

  /** Registers the gauges read from the live hub and sessions. */
  public void bind(Hub hub, Sessions sessions) {
    Gauge.builder("thingpush_connections", sessions, s -> s.open().size())
        .description("Open WebSocket connections").register(registry);
    Gauge.builder("thingpush_subscriptions", hub, Hub::subscriptionCount)
        .description("Subscriptions held by open connections").register(registry);
  }

  /** Registers the meters of the cluster bus. */
  public void bindCluster(NatsEventFeed feed) {
    FunctionCounter.builder("thingpush_cluster_events_received", feed, NatsEventFeed::received)
        .description("Events this node received from the cluster bus (only those its connections watch)")
        .register(registry);
    Gauge.builder("thingpush_cluster_keys", feed, NatsEventFeed::openKeys)
        .description("Keys (device, area, project per code) this node listens to on NATS").register(registry);
  }

  /** Registers the gauge of devices connected to this node's MQTT endpoint. */
  public void bind(DevicePresence presence) {
    Gauge.builder("thingpush_devices_connected", presence, DevicePresence::connected)
        .description("Devices connected to the embedded MQTT endpoint").register(registry);
  }

  @Override
  public void ingested(String source, SubCode code) {
    registry.counter("thingpush_events_in", "source", source, "code", code.wire()).increment();
  }

  @Override
  public void pushed(long nanos) {
    pushed.increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void conflated() {
    conflated.increment();
  }

  @Override
  public void dropped(int frames) {
    dropped.increment(frames);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
