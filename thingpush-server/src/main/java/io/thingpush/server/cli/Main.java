package io.thingpush.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code thingpush} command line. */
@Command(
    name = "thingpush",
    mixinStandardHelpOptions = true,
    version = "ThingPush 0.1.0",
    description = "Real-time push of IoT device events to apps over WebSocket.",
    subcommands = {ServeCommand.class, WatchCommand.class, SimulateCommand.class, TokenCommand.class, ImportCommand.class,
        ExportCommand.class, ConfigCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    // A bad config, registry file or busy port is the user's to fix: one clear line, no trace.
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      command.getErr().println("thingpush: " + e.getMessage());
      return 1;
    });
    System.exit(cli.execute(args));
  }
}
