package io.thingpush.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code thingpush} command line. */
@Command(
    name = "thingpush",
    mixinStandardHelpOptions = true,
    version = "ThingPush 0.1.0",
    description = "Real-time push of IoT device events to apps over WebSocket.",
    subcommands = {
      ServeCommand.class,
      WatchCommand.class,
      SimulateCommand.class,
      TokenCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      ReloadCommand.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** The failure's own message, and the cause underneath when the message does not say it already. */
  static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String cause = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e || message.contains(cause) ? message : message + ": " + cause;
  }

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    // A bad config, registry file or busy port is the user's to fix: one clear line, no trace.
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          command.getErr().println("thingpush: " + describe(e));
          if (e.getMessage() == null) {
            e.printStackTrace(command.getErr()); // not the user's to fix: a trace for the report
          }
          return 1;
        });
    int exit = cli.execute(args);
    // picocli's writers flush on println only: what a command printed without one is still buffered
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(exit);
  }
}
