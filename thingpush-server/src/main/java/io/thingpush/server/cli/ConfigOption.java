package io.thingpush.server.cli;

import io.thingpush.server.config.ConfigException;
import io.thingpush.server.config.ThingPushConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option every command shares. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "YAML config file (options not in it keep their defaults; THINGPUSH_* variables override both)")
  Path file;

  ThingPushConfig load() {
    try {
      String yaml = file == null ? "" : Files.readString(file);
      return ThingPushConfig.parse(yaml, System.getenv());
    } catch (IOException e) {
      throw ConfigException.cannotRead("--config", file, e);
    }
  }
}
