package io.thingpush.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.simulate.SimulatedDevice;
import io.thingpush.server.simulate.Simulator;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs simulated MQTT devices against ThingPush's device endpoint or a broker it bridges. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Run simulated devices over real MQTT for a bounded time, then print what they sent.")
final class SimulateCommand implements Callable<Integer> {
  private static final int MAX_SECONDS = 86_400;
  private static final double MAX_RATE = 10_000;

  /** How long the first answer to a report may take before the run says it gets none. */
  private static final int ANSWER_WAIT_SECONDS = 5;

  @Option(
      names = "--host",
      description = "MQTT host (default: ${DEFAULT-VALUE})",
      defaultValue = "127.0.0.1")
  String host;

  @Option(
      names = "--port",
      description = "MQTT port (default: ${DEFAULT-VALUE})",
      defaultValue = "1883")
  int port;

  @Option(
      names = "--registry",
      paramLabel = "FILE",
      description = "registry file whose devices to simulate (default: the demo registry)")
  Path registry;

  @Option(names = "--devices", description = "how many of its devices (default: all)")
  Integer count;

  @Option(
      names = "--rate",
      description = "device activities per second over all devices (default: ${DEFAULT-VALUE})",
      defaultValue = "4")
  double rate;

  @Option(
      names = "--seconds",
      description = "how long to run, at most 86400 (default: ${DEFAULT-VALUE})",
      defaultValue = "60")
  int seconds;

  @Option(
      names = "--drop-every",
      paramLabel = "SECONDS",
      description =
          "every this many seconds one device drops its connection and comes back 2 s later; 0: never "
              + "(default: ${DEFAULT-VALUE})",
      defaultValue = "10")
  int dropEvery;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || seconds > MAX_SECONDS) {
      throw new ParameterException(
          spec.commandLine(), "--seconds must be from 1 to " + MAX_SECONDS);
    }
    if (!(rate > 0 && rate <= MAX_RATE)) {
      throw new ParameterException(
          spec.commandLine(), "--rate must be greater than 0 and at most " + MAX_RATE);
    }
    List<SimulatedDevice.Spec> devices =
        Simulator.devicesOf(readRegistry(), count == null ? Integer.MAX_VALUE : count);
    if (devices.isEmpty() || (count != null && (count < 1 || devices.size() < count))) {
      throw new ParameterException(
          spec.commandLine(),
          "--devices must be from 1 to the " + devices.size() + " devices of the registry file");
    }
    if (dropEvery < 0) {
      throw new ParameterException(spec.commandLine(), "--drop-every must not be negative");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String where = host + ":" + port;
    Vertx vertx = Vertx.vertx();
    try (Simulator simulator =
        Simulator.start(vertx, devices, host, port, rate, Duration.ofSeconds(dropEvery))) {
      List<String> failures = simulator.connectFailures();
      if (failures.size() == simulator.size()) {
        err.println(
            "simulate: no device could connect to "
                + where
                + " ("
                + failures.get(0)
                + "). Is ThingPush "
                + "running? `serve` prints the port of its MQTT device endpoint; give it with --port (and --host).");
        return 1;
      }
      out.println(
          "simulating "
              + simulator.size()
              + " devices against "
              + where
              + " for "
              + seconds
              + " s: "
              + (simulator.size() - failures.size())
              + " connected");
      failures.forEach(f -> err.println("simulate: could not connect " + f));
      out.flush();
      err.flush();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long firstAnswerBy =
          System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(seconds, ANSWER_WAIT_SECONDS));
      while (simulator.reportsAnswered() == 0 && System.nanoTime() < firstAnswerBy) {
        Thread.sleep(100);
      }
      if (simulator.reportsAnswered() == 0
          && simulator.messagesSent() > 0
          && seconds > ANSWER_WAIT_SECONDS) {
        err.println(
            notThingPush(where, simulator.messagesSent()) + " Still sending until the end.");
        err.flush();
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
      out.println(
          "done: "
              + simulator.messagesSent()
              + " messages sent ("
              + simulator.messagesSent() / seconds
              + "/s), "
              + simulator.reportsAnswered()
              + " reports answered, "
              + simulator.connected()
              + " devices connected at the end");
      if (simulator.reportsAnswered() == 0 && simulator.messagesSent() > 0) {
        err.println(notThingPush(where, simulator.messagesSent()));
        return 1;
      }
      return 0;
    } finally {
      out.flush();
      err.flush();
      vertx.close().await();
    }
  }

  private static String notThingPush(String where, long sent) {
    return "simulate: "
        + where
        + " took "
        + sent
        + " messages but answered no property report: it is not "
        + "ThingPush's MQTT device endpoint (a plain broker? ThingPush answers every report with reportReply, "
        + "also through a broker it bridges). `serve` prints the port of its device endpoint.";
  }

  private JsonNode readRegistry() throws IOException {
    try (InputStream in =
        registry == null
            ? ThingPushServer.class.getResourceAsStream(ThingPushServer.DEMO_REGISTRY)
            : Files.newInputStream(registry)) {
      JsonNode file = Json.parseOrNull(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (file == null || !file.isObject()) {
        throw new ParameterException(
            spec.commandLine(), "--registry is not a JSON object: " + registry);
      }
      return file;
    }
  }
}
