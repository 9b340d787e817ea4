package io.thingpush.server.cli;

import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.observe.Logs;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a node until it is stopped (Ctrl-C or SIGTERM: clients are told to reconnect, 4009). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the ThingPush server.")
final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--demo",
      description =
          "Seed a demo registry, run its devices as simulated MQTT devices, print a connect URL.")
  boolean demo;

  @Option(
      names = "--import",
      paramLabel = "FILE",
      description = "Import this registry file at start.")
  String importFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ThingPushConfig cfg = config.load();
    Logs.apply(cfg.log());
    if (importFile != null) {
      cfg = cfg.withImportFile(importFile);
    }
    String demoKey = null;
    DemoSecrets secrets = null;
    if (demo || cfg.demo().enabled()) {
      secrets = DemoSecrets.of(DemoSecrets.FILE);
      demoKey = cfg.publish().keys().isEmpty() ? secrets.publishKey() : null;
      cfg = secrets.applyTo(cfg.withDemo());
    }
    ThingPushServer server = ThingPushServer.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "shutdown"));
    if (cfg.demo().enabled()) {
      DemoInstructions.print(spec.commandLine().getOut(), cfg, server, demoKey, secrets);
    }
    stopped.await();
    return 0;
  }
}
