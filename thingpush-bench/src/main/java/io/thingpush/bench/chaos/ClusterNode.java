package io.thingpush.bench.chaos;

import io.thingpush.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ThingPush node in a process of its own, so that it can die as a machine does (kill -9: no
 * drain, no close frames, no lease released). Its config and log are in its own folder.
 */
final class ClusterNode implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int wsPort;
  private final int httpPort;
  private final Path log;

  private ClusterNode(String name, Process process, int wsPort, int httpPort, Path log) {
    this.name = name;
    this.process = process;
    this.wsPort = wsPort;
    this.httpPort = httpPort;
    this.log = log;
  }

  /** The line a node logs once it listens, with the ports the system gave it. */
  private static final Pattern LISTENING =
      Pattern.compile(
          "ThingPush listening: WebSocket ws://127\\.0\\.0\\.1:(\\d+)/.*HTTP http://127\\.0\\.0\\.1:(\\d+), "
              + "metrics and health http://127\\.0\\.0\\.1:(\\d+)");

  /**
   * Starts {@code serve} of the ThingPush on {@code classPath} with {@code config} (its ports are
   * added here: 0 on 127.0.0.1, read back from its log, so that no other program can take a port
   * picked for it meanwhile) and waits until its health check says ready.
   */
  static ClusterNode start(
      String name,
      Path dir,
      Map<String, Object> config,
      String classPath,
      List<String> jvmOptions,
      HttpClient http,
      Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Map<String, Object> full = new java.util.LinkedHashMap<>(config);
    for (String listener : List.of("ws", "http", "management")) {
      full.put(listener, Map.of("host", "127.0.0.1", "port", 0));
    }
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, Json.text(full)); // JSON is YAML
    Path log = dir.resolve("node.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-cp", classPath, "io.thingpush.server.cli.Main", "serve", "-c", file.toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + timeout.toNanos();
    Matcher ports = null;
    while (ports == null && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      ports = LISTENING.matcher(Files.readString(log));
      if (!ports.find()) {
        ports = null;
      }
    }
    if (ports != null) {
      ClusterNode node =
          new ClusterNode(
              name,
              process,
              Integer.parseInt(ports.group(1)),
              Integer.parseInt(ports.group(2)),
              log);
      URI ready = URI.create("http://127.0.0.1:" + ports.group(3) + "/health/ready");
      while (process.isAlive() && System.nanoTime() < deadline) {
        try {
          HttpResponse<Void> answer =
              http.send(
                  HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (answer.statusCode() == 200) {
            return node;
          }
        } catch (IOException notYet) {
          // not answering yet
        }
        Thread.sleep(200);
      }
    }
    String why =
        process.isAlive()
            ? "did not get ready within " + timeout
            : "exited with " + process.exitValue();
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    throw new IllegalStateException("node " + name + " " + why + "; its log: " + log);
  }

  String name() {
    return name;
  }

  URI wsBase() {
    return URI.create("ws://127.0.0.1:" + wsPort);
  }

  URI http(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Kills it: at the end of a run nothing is left to drain. */
  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
