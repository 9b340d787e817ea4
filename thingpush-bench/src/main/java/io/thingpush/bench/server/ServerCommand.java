package io.thingpush.bench.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.bench.BenchRegistry;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.net.NativeTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A ThingPush node for the generator: the bench registry, limits out of the way, ports on
 * 127.0.0.1 picked by the system, events driven straight into the ingest dispatcher. Any
 * option can still be changed with {@code THINGPUSH_*} variables.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description =
        "A ThingPush node driven by the generator over standard input (started by `run`).")
public final class ServerCommand implements Callable<Integer> {
  public static final String SECRET = "thingpush-bench-hs256-secret-0123456789abcdef";

  @Option(
      names = "--devices",
      defaultValue = "1000",
      description = "Devices in the registry (default ${DEFAULT-VALUE}).")
  int devices;

  @Option(
      names = "--frame-bytes",
      defaultValue = "250",
      description = "Size of a pushed frame (default ${DEFAULT-VALUE}).")
  int frameBytes;

  @Option(
      names = "--mqtt",
      description =
          "Open the embedded MQTT device endpoint (on a free port, given as mqtt= when ready).")
  boolean mqtt;

  @Option(
      names = "--bridge-port",
      description = "Bridge the device topics of the MQTT broker on 127.0.0.1 at this port.")
  Integer bridgePort;

  /** The publish API's key of a bench run. */
  public static final String PUBLISH_KEY = "thingpush-bench-publish-key";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path registry = Files.createTempFile("thingpush-bench-registry", ".json");
    Files.writeString(registry, BenchRegistry.json(devices));
    try (ThingPushServer server =
        ThingPushServer.start(
            ThingPushConfig.parse(Json.text(config(registry)), System.getenv()))) {
      Control.serve(
          spec.commandLine().getOut(),
          "ws="
              + server.wsPort()
              + " http="
              + server.httpPort()
              + " management="
              + server.managementPort()
              + (mqtt ? " mqtt=" + server.mqttPort() : "")
              + " transport="
              + NativeTransport.best().label(),
          sink(server.dispatcher()));
    } finally {
      Files.deleteIfExists(registry);
    }
    return 0;
  }

  private Driver.Sink sink(Dispatcher dispatcher) {
    String[] names = new String[devices];
    for (int d = 0; d < devices; d++) {
      names[d] = BenchRegistry.deviceName(d);
    }
    String pad = BenchEvent.pad(frameBytes);
    return (index, sentNanos) -> {
      ObjectNode payload = Json.object().put("identifier", BenchRegistry.IDENTIFIER);
      payload.putObject("param").put("sent", sentNanos).put("pad", pad);
      dispatcher.publish(
          "bench",
          null,
          SubCode.DEVICE_PROPERTY_REPORT,
          BenchRegistry.PRODUCT,
          names[index % names.length],
          payload);
    };
  }

  private Map<String, Object> config(Path registry) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("ws", Map.of("host", "127.0.0.1", "port", 0));
    c.put("http", Map.of("host", "127.0.0.1", "port", 0));
    c.put("management", Map.of("host", "127.0.0.1", "port", 0));
    c.put("auth", Map.of("hs256Secret", SECRET));
    c.put("limits", Map.of("connectionsPerUser", 10_000_000, "connectionsPerTenant", 10_000_000));
    c.put(
        "registry",
        Map.of(
            "jdbcUrl", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "importFile", registry.toString()));
    c.put("history", Map.of("maxEvents", 10_000));
    Map<String, Object> bridge =
        bridgePort == null
            ? Map.of("enabled", false)
            : Map.of("enabled", true, "host", "127.0.0.1", "port", bridgePort, "shareGroup", "");
    c.put("mqtt", Map.of("enabled", mqtt, "host", "127.0.0.1", "port", 0, "bridge", bridge));
    c.put("publish", Map.of("keys", List.of(Map.of("key", PUBLISH_KEY))));
    return c;
  }
}
