package io.thingpush.server.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code thingpush_push_latency_seconds}: from ingest to the write of a live push, a histogram
 * that takes the pushes of one event on one connection thread in one call, with their count (a
 * timer takes a call per push: at every delivery, the most the server did of its own). It has the
 * buckets, count and sum a Micrometer timer with a percentile histogram from 10 µs to 10 s would
 * have, and as such a timer its maximum over the last minutes as {@code
 * thingpush_push_latency_seconds_max}.
 */
final class PushLatency implements Collector {
  private static final String NAME = "thingpush_push_latency_seconds";

  private final String help;

  /** The upper bounds of the buckets, ascending; the last is {@link Long#MAX_VALUE} (+Inf). */
  private final long[] boundsNanos;

  /** Pushes per bucket, not cumulative. */
  private final AtomicLongArray counts;

  private final LongAdder totalNanos = new LongAdder();
  private final TimeWindowMax max;

  PushLatency(PrometheusMeterRegistry registry, String help) {
    this.help = help;
    DistributionStatisticConfig config =
        DistributionStatisticConfig.builder()
            .percentilesHistogram(true)
            .minimumExpectedValue((double) TimeUnit.MICROSECONDS.toNanos(10))
            .maximumExpectedValue((double) TimeUnit.SECONDS.toNanos(10))
            .build()
            .merge(DistributionStatisticConfig.DEFAULT);
    long[] bounds =
        config.getHistogramBuckets(true).stream().mapToLong(Double::longValue).toArray();
    this.boundsNanos = Arrays.copyOf(bounds, bounds.length + 1);
    boundsNanos[bounds.length] = Long.MAX_VALUE;
    this.counts = new AtomicLongArray(boundsNanos.length);
    this.max = new TimeWindowMax(registry.config().clock(), config);
    registry.getPrometheusRegistry().register(this);
    Gauge.builder(NAME + "_max", max, m -> m.poll(TimeUnit.SECONDS))
        .description(help)
        .register(registry);
  }

  /** {@code pushes} live pushes, each written {@code nanos} after its event was ingested. */
  void record(long nanos, int pushes) {
    int bucket = Arrays.binarySearch(boundsNanos, nanos);
    counts.addAndGet(bucket >= 0 ? bucket : -bucket - 1, pushes);
    totalNanos.add(nanos * pushes);
    max.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The upper bounds of the buckets in nanoseconds, ascending, without +Inf. */
  double[] boundsNanos() {
    double[] bounds = new double[boundsNanos.length - 1];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = boundsNanos[i];
    }
    return bounds;
  }

  /** Pushes up to each of {@link #boundsNanos()}: cumulative over the buckets. */
  long[] cumulativeCounts() {
    long[] cumulative = new long[boundsNanos.length - 1];
    long sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      sum += counts.get(i);
      cumulative[i] = sum;
    }
    return cumulative;
  }

  @Override
  public MetricSnapshot collect() {
    double[] boundsSeconds = new double[boundsNanos.length];
    long[] perBucket = new long[boundsNanos.length];
    for (int i = 0; i < boundsNanos.length; i++) {
      boundsSeconds[i] =
          boundsNanos[i] == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : boundsNanos[i] / 1e9;
      perBucket[i] = counts.get(i);
    }
    return HistogramSnapshot.builder()
        .name(NAME)
        .help(help)
        .dataPoint(
            HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(boundsSeconds, perBucket))
                .sum(totalNanos.sum() / 1e9)
                .build())
        .build();
  }

  @Override
  public String getPrometheusName() {
    return NAME;
  }
}
