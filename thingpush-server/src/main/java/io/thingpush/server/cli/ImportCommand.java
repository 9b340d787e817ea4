package io.thingpush.server.cli;

import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.registry.Registry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Imports a registry file into the configured database (all or nothing). */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import a registry JSON file (docs/registry.md); nothing is written if any entry is invalid.")
final class ImportCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "FILE", description = "the registry file")
  Path file;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ThingPushConfig.Registry db = config.load().registry();
    try (Registry registry = Registry.open(db)) {
      registry.importFile(file);
    }
    spec.commandLine()
        .getOut()
        .println(
            "Imported "
                + file
                + " into "
                + db.jdbcUrl()
                + ". A server running on "
                + "this database takes it after `thingpush reload` (POST /api/v1/admin/reload).");
    return 0;
  }
}
