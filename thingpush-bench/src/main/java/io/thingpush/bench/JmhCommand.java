package io.thingpush.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs the JMH benchmarks of this module (any JMH option passes through). */
@Command(name = "jmh", mixinStandardHelpOptions = true,
    description = {"Runs the JMH micro-benchmarks (subscription match cost, encode once).",
        "Arguments go to JMH unchanged, e.g. `jmh SubscriptionMatch -f 1 -wi 3 -i 5`; `jmh -h` lists JMH's options."})
final class JmhCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "JMH_ARGS", description = "Arguments for JMH.")
  String[] args = new String[0];

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(args);
    return 0;
  }
}
