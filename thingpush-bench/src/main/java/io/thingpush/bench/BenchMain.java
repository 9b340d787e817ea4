package io.thingpush.bench;

import io.thingpush.bench.chaos.ChaosCommand;
import io.thingpush.bench.device.DevicesCommand;
import io.thingpush.bench.publish.PublishCommand;
import io.thingpush.bench.server.BaselineCommand;
import io.thingpush.bench.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code thingpush-bench} command line. */
@Command(
    name = "thingpush-bench",
    mixinStandardHelpOptions = true,
    version = "ThingPush bench 0.1.0",
    description = {
      "Measures ThingPush on this machine against a raw Netty broadcast baseline, in the same run.",
      "Everything runs on loopback and is bounded in connections and time."
    },
    subcommands = {
      RunCommand.class,
      DevicesCommand.class,
      PublishCommand.class,
      ChaosCommand.class,
      JmhCommand.class,
      ServerCommand.class,
      BaselineCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BenchMain {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (for tests, without exiting the JVM). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new BenchMain());
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          command.getErr().println("thingpush-bench: " + e.getMessage());
          return 1;
        });
    return cli.execute(args);
  }
}
