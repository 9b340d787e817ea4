package io.thingpush.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Runs the JMH benchmarks of this module; every argument goes to JMH. */
@Command(
    name = "jmh",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the JMH micro-benchmarks: SubscriptionMatchBenchmark (ns per event from 1,000 to",
      "1,000,000 subscriptions), EncodeOnceBenchmark (encodings per event whatever the recipients) and",
      "FilterBenchmark (subscription filter evaluations per second, compile time per filter).",
      "Arguments go to JMH unchanged, e.g. `jmh SubscriptionMatch -f 1`; `jmh -- -h` lists JMH's options."
    })
final class JmhCommand implements Callable<Integer> {
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> jmh = new ArrayList<>(args);
    jmh.remove("--");
    org.openjdk.jmh.Main.main(jmh.toArray(String[]::new));
    return 0;
  }
}
