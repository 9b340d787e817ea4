package io.thingpush.server.cli;

import io.thingpush.server.config.ThingPushConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the documented defaults, or checks a config file. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print every option with its default; with --config, check that file instead.")
final class ConfigCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (config.file == null) {
      spec.commandLine().getOut().print(ThingPushConfig.defaultsYaml());
      return 0;
    }
    config.load();
    spec.commandLine().getOut().println(config.file + " is valid.");
    return 0;
  }
}
