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
    int filteredPercent,
    boolean deflate,
    int frameBytes,
    int sourceAddresses,
    int clientThreads,
    List<String> serverJvm) {

  /** Whether connection k stops reading once subscribed; spread evenly, apart from the mix's layout. */
  public boolean stalled(int k) {
    return stalledPercent > 0 && (k * 37 + 11) % 100 < stalledPercent;
  }

  /**
   * Whether connection k subscribes with {@link Mix#FILTER}; spread evenly, apart from the
   * stalled ones and the mix's layout.
   */
  public boolean filtered(int k) {
    return filteredPercent > 0 && (k * 53 + 29) % 100 < filteredPercent;
  }

  /** The mix as the rows name it: with the share of filtered subscriptions. */
  public String mixLabel() {
    return filteredPercent > 0 ? mix + " (" + filteredPercent + "% filtered)" : mix.toString();
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
