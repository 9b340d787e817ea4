package io.thingpush.bench.run;

import io.thingpush.bench.Mix;
import java.time.Duration;
import java.util.List;

/** Everything one run of the generator needs, checked by the command line. */
public record Settings(
    int connections,
    int devices,
    Mix mix,
    List<Load> loads,
    Duration duration,
    Duration warmup,
    Duration jitWarmup,
    int stalledPercent,
    boolean deflate,
    int frameBytes,
    int sourceAddresses,
    int clientThreads,
    List<String> serverJvm) {

  /** Whether connection k stops reading once subscribed; spread evenly, apart from the mix's layout. */
  public boolean stalled(int k) {
    return stalledPercent > 0 && (k * 37 + 11) % 100 < stalledPercent;
  }

  public int stalledCount() {
    int n = 0;
    for (int k = 0; k < connections; k++) {
      n += stalled(k) ? 1 : 0;
    }
    return n;
  }

  /** Deliveries per event over all connections. */
  public double fanout() {
    return mix.fanout(connections, devices);
  }
}
