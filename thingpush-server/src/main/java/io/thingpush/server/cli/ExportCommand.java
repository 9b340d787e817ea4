package io.thingpush.server.cli;

import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.registry.Registry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes the registry of the configured database as an import file. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export the registry as a JSON file that `import` reads back unchanged (device secrets included).")
final class ExportCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "where to write (default: standard output)")
  Path output;

  @Option(names = "--tenant", description = "only this tenant's part of the registry")
  String tenant;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    ThingPushConfig.Registry db = config.load().registry();
    try (Registry registry = Registry.open(db)) {
      if (output == null) {
        PrintWriter out = spec.commandLine().getOut();
        registry.export(tenant, out);
        out.flush();
      } else {
        try (Writer out = Files.newBufferedWriter(output)) {
          registry.export(tenant, out);
        }
        spec.commandLine().getErr().println("Exported " + db.jdbcUrl() + " to " + output);
      }
    }
    return 0;
  }
}
