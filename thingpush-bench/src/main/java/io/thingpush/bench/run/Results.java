package io.thingpush.bench.run;

import java.util.List;
import java.util.Map;

/** What a run measured, as written to the JSON file. */
public final class Results {
  private Results() {}

  /** One load step on one server. Latencies in ms from the event's send time to its read. */
  public record Step(
      String load,
      double offeredEventsPerSecond,
      long events,
      double deliveriesPerSecond,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      double serverCpuCores,
      double serverCpuMicrosPerDelivery,
      double generatorCpuCores,
      double generatorCpuMicrosPerDelivery,
      long lost) {}

  /** One server in one repeat: memory per connection at rest, then each load step. */
  public record ServerRun(
      String server,
      String transport,
      int repeat,
      int connections,
      int stalledConnections,
      String mix,
      boolean deflate,
      double heapKibPerConnection,
      double rssKibPerConnection,
      List<Step> steps,
      Map<Integer, Long> closes,
      Map<String, Double> serverCounters) {}

  /** The whole run. */
  public record Run(String date, String machine, String command, List<ServerRun> servers) {}
}
