package io.thingpush.server.cli;

import io.thingpush.core.auth.TokenMinter;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs a node until it is stopped (Ctrl-C or SIGTERM: clients are told to reconnect, 4009). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the ThingPush server.")
final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--demo",
      description = "Seed a demo registry, run its devices as simulated MQTT devices, print a connect URL.")
  boolean demo;

  @Option(names = "--import", paramLabel = "FILE", description = "Import this registry file at start.")
  String importFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ThingPushConfig cfg = config.load();
    if (importFile != null) {
      cfg = cfg.withImportFile(importFile);
    }
    String demoKey = null;
    if (demo || cfg.demo().enabled()) {
      cfg = cfg.withDemo();
      if (cfg.auth().hs256Secret().isEmpty()) {
        cfg = cfg.withSecret(randomHex(32));
      }
      if (cfg.publish().keys().isEmpty()) {
        demoKey = "demo-" + randomHex(12);
        cfg = cfg.withPublishKey(new ThingPushConfig.PublishKey(demoKey, null));
      }
    }
    ThingPushServer server = ThingPushServer.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "shutdown"));
    if (cfg.demo().enabled()) {
      printDemo(spec.commandLine().getOut(), cfg, server, demoKey);
    }
    stopped.await();
    return 0;
  }

  private static void printDemo(PrintWriter out, ThingPushConfig cfg, ThingPushServer server, String demoKey) {
    String token = new TokenMinter(cfg.auth().hs256Secret()).mint("default", "demo", false, null, Duration.ofDays(1));
    String url = DemoLinks.connectUrl(server.wsPort(), cfg.ws().path(), token);
    int mqttPort = server.mqttPort();
    out.println();
    out.println("ThingPush demo is running: simulated devices report over MQTT (127.0.0.1:" + mqttPort
        + (mqttPort == cfg.mqtt().port() ? "" : ", as port " + cfg.mqtt().port() + " is taken")
        + ") into project p-factory.");
    out.println();
    out.println("Open the console (live table, charts, device badges) in a browser:");
    out.println("   " + DemoLinks.consoleUrl(server.httpPort(), token));
    out.println();
    out.println("1. Connect any WebSocket client to:");
    out.println("   " + url);
    out.println("2. Send:");
    out.println("   {\"type\":\"up.sub\",\"body\":{\"code\":\"devicePropertyReport\",\"params\":{\"projectID\":\"p-factory\"}}}");
    out.println("   and property reports stream in. Other codes: devicePropertyReportV2, devicePublish,");
    out.println("   deviceActionReport, deviceConn, deviceOtaReport.");
    int step = 3;
    if (demoKey != null) {
      String http = "http://127.0.0.1:" + server.httpPort();
      out.println(step++ + ". Publish an event of your own:");
      out.println("   curl -H 'Authorization: Bearer " + demoKey + "' -d '{\"code\":\"deviceConn\","
          + "\"device\":{\"productID\":\"pump\",\"deviceName\":\"pump-01\"},\"payload\":{\"status\":2}}' "
          + http + "/api/v1/push/publish");
      out.println(step++ + ". Call an action of a device (its reply comes back; subscribers see both):");
      out.println("   curl -H 'Authorization: Bearer " + demoKey + "' -d '{\"device\":{\"productID\":\"pump\","
          + "\"deviceName\":\"pump-01\"},\"actionID\":\"setSpeed\",\"params\":{\"rpm\":1200}}' "
          + http + "/api/v1/push/action");
    }
    out.println(step + ". Be a device yourself (any MQTT client):");
    out.println("   mosquitto_pub -p " + mqttPort + " -u 'env-sensor&sensor-01' -P demo-sensor-01"
        + " -t '$thing/up/property/env-sensor/sensor-01' -m '{\"method\":\"report\",\"msgToken\":\"1\","
        + "\"params\":{\"temp\":21.5}}'");
    out.println();
    out.flush();
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
