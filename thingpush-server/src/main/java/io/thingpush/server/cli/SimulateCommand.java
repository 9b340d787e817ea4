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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs simulated MQTT devices against ThingPush's device endpoint or a broker it bridges. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run simulated devices over real MQTT for a bounded time, then print what they sent.")
final class SimulateCommand implements Callable<Integer> {
  private static final int MAX_SECONDS = 86_400;
  private static final double MAX_RATE = 10_000;

  @Option(names = "--host", description = "MQTT host (default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", description = "MQTT port (default: ${DEFAULT-VALUE})", defaultValue = "1883")
  int port;

  @Option(names = "--registry", paramLabel = "FILE",
      description = "registry file whose devices to simulate (default: the demo registry)")
  Path registry;

  @Option(names = "--devices", description = "how many of its devices (default: all)")
  Integer count;

  @Option(names = "--rate", description = "device activities per second over all devices (default: ${DEFAULT-VALUE})",
      defaultValue = "4")
  double rate;

  @Option(names = "--seconds", description = "how long to run, at most 86400 (default: ${DEFAULT-VALUE})",
      defaultValue = "60")
  int seconds;

  @Option(names = "--drop-every", paramLabel = "SECONDS",
      description = "every this many seconds one device drops its connection and comes back 2 s later; 0: never "
          + "(default: ${DEFAULT-VALUE})", defaultValue = "10")
  int dropEvery;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || seconds > MAX_SECONDS) {
      throw new ParameterException(spec.commandLine(), "--seconds must be from 1 to " + MAX_SECONDS);
    }
    if (!(rate > 0 && rate <= MAX_RATE)) {
      throw new ParameterException(spec.commandLine(), "--rate must be greater than 0 and at most " + MAX_RATE);
    }
    List<SimulatedDevice.Spec> devices = Simulator.devicesOf(readRegistry(), count == null ? Integer.MAX_VALUE : count);
    if (devices.isEmpty() || (count != null && (count < 1 || devices.size() < count))) {
      throw new ParameterException(spec.commandLine(), "--devices must be from 1 to the " + devices.size()
          + " devices of the registry file");
    }
    PrintWriter out = spec.commandLine().getOut();
    Vertx vertx = Vertx.vertx();
    if (dropEvery < 0) {
      throw new ParameterException(spec.commandLine(), "--drop-every must not be negative");
    }
    try (Simulator simulator = Simulator.start(vertx, devices, host, port, rate, Duration.ofSeconds(dropEvery))) {
      out.println("simulating " + simulator.size() + " devices against " + host + ":" + port + " for " + seconds
          + " s (" + simulator.connected() + " connected)");
      out.flush();
      Thread.sleep(seconds * 1000L);
      out.println("done: " + simulator.messagesSent() + " messages sent (" + simulator.messagesSent() / seconds
          + "/s), " + simulator.connected() + " devices connected at the end");
    } finally {
      vertx.close().await();
    }
    out.flush();
    return 0;
  }

  private JsonNode readRegistry() throws IOException {
    try (InputStream in = registry == null
        ? ThingPushServer.class.getResourceAsStream(ThingPushServer.DEMO_REGISTRY) : Files.newInputStream(registry)) {
      JsonNode file = Json.parseOrNull(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (file == null || !file.isObject()) {
        throw new ParameterException(spec.commandLine(), "--registry is not a JSON object: " + registry);
      }
      return file;
    }
  }
}
