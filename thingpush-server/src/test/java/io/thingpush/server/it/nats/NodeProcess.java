package io.thingpush.server.it.nats;

import io.thingpush.protocol.Json;
import io.thingpush.server.cli.Main;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A cluster node in a JVM of its own, so a test can kill it as a machine would die. */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final int wsPort;
  private final Path dir;

  private NodeProcess(Process process, int wsPort, Path dir) {
    this.process = process;
    this.wsPort = wsPort;
    this.dir = dir;
  }

  static NodeProcess start(String natsUrl, String clusterName) throws IOException {
    Path dir = Files.createTempDirectory("thingpush-node");
    Path registry = dir.resolve("registry.json");
    try (InputStream in = NodeProcess.class.getResourceAsStream("/it/registry.json")) {
      Files.copy(in, registry);
    }
    int wsPort = NatsTestServer.freePort();
    Map<String, Object> config =
        Map.of(
            "ws", Map.of("host", "127.0.0.1", "port", wsPort),
            "http", Map.of("host", "127.0.0.1", "port", NatsTestServer.freePort()),
            "mqtt", Map.of("host", "127.0.0.1", "port", 0),
            "management", Map.of("host", "127.0.0.1", "port", 0),
            "auth", Map.of("hs256Secret", TestServer.SECRET),
            "registry",
                Map.of(
                    "jdbcUrl",
                    "jdbc:h2:mem:node-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "importFile",
                    registry.toString()),
            "cluster", Map.of("natsUrl", natsUrl, "name", clusterName, "leaseMs", 1500));
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, Json.text(config));
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "serve",
                    "--config",
                    file.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node.log").toFile())
            .start();
    NodeProcess node = new NodeProcess(process, wsPort, dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", wsPort), 200);
        return node;
      } catch (IOException notYet) {
        sleep();
      }
    }
    node.kill();
    throw new IllegalStateException(
        "node did not start: " + Files.readString(dir.resolve("node.log")));
  }

  URI wsBase() {
    return URI.create("ws://127.0.0.1:" + wsPort);
  }

  /** Kills the JVM at once: no drain, no close frames, no lease release. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
