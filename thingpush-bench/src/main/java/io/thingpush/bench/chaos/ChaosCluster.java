package io.thingpush.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.bench.BenchRegistry;
import io.thingpush.core.auth.TokenMinter;
import io.thingpush.protocol.Json;
import io.thingpush.server.registry.Registry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.h2.tools.Server;

/**
 * What the scenarios run on, all on loopback and all the harness's own: a private nats-server
 * with JetStream, two ThingPush nodes in cluster mode on it, and the registry they share (an H2
 * database in memory, served over TCP by this process, as a PostgreSQL would be by a machine of
 * its own). Publishes and admin calls go over the nodes' HTTP APIs.
 */
final class ChaosCluster implements AutoCloseable {
  static final String SECRET = "thingpush-chaos-hs256-secret-0123456789abcdef";
  static final String PUBLISH_KEY = "thingpush-chaos-publish-key";

  /** A user who reads the project through a grant, which the revoke scenario takes away and gives back. */
  static final String VIEWER = "viewer";

  static final int DEVICES = 10;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final ChaosSettings settings;
  private final PrintWriter log;
  private final Path dir;
  private final Server h2;
  private final PrivateNats nats;
  private final ClusterNode[] nodes = new ClusterNode[2];
  private final int[] starts = new int[2];
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final TokenMinter minter = new TokenMinter(SECRET);

  /** Ends the processes when this JVM is stopped mid-run (Ctrl-C), since they would outlive it. */
  private final Thread cleanup = new Thread(this::killAll, "chaos-cleanup");

  private boolean keep;

  private ChaosCluster(
      ChaosSettings settings, PrintWriter log, Path dir, Server h2, PrivateNats nats) {
    this.settings = settings;
    this.log = log;
    this.dir = dir;
    this.h2 = h2;
    this.nats = nats;
  }

  /** Starts NATS, the registry database with the bench registry in it, and both nodes. */
  static ChaosCluster start(ChaosSettings settings, PrintWriter log) throws Exception {
    Path dir = Files.createTempDirectory("thingpush-chaos");
    Server h2 = registryServer();
    ChaosCluster cluster = null;
    try {
      PrivateNats nats = PrivateNats.start(dir.resolve("nats"), Duration.ofSeconds(10));
      cluster = new ChaosCluster(settings, log, dir, h2, nats);
      Runtime.getRuntime().addShutdownHook(cluster.cleanup);
      cluster.importRegistry();
      cluster.startNodes(0, 1);
      return cluster;
    } catch (Exception | Error e) {
      if (cluster != null) {
        cluster.keepLogs();
        cluster.close();
      } else {
        h2.stop();
      }
      throw e;
    }
  }

  /**
   * The registry database's TCP server, local connections only. H2 listens on every address, so
   * a port free on 127.0.0.1 may still be taken elsewhere: a few tries.
   */
  private static Server registryServer() throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return Server.createTcpServer(
                "-tcpPort", Integer.toString(Loopback.freePort()), "-ifNotExists")
            .start();
      } catch (SQLException taken) {
        if (attempt == 5) {
          throw taken;
        }
      }
    }
  }

  /** The bench registry (docs/registry.md) plus the viewer's grant on the bench project. */
  static String registry() {
    ObjectNode root = (ObjectNode) Json.parseOrNull(BenchRegistry.json(DEVICES));
    root.putArray("grants")
        .addObject()
        .put("tenant", BenchRegistry.TENANT)
        .put("userID", VIEWER)
        .put("projectID", BenchRegistry.PROJECT);
    return Json.text(root);
  }

  private String jdbcUrl() {
    return "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:chaos;DB_CLOSE_DELAY=-1";
  }

  /** Writes the registry into the database before any node starts, so that both can start at once. */
  private void importRegistry() throws IOException {
    Path file = dir.resolve("registry.json");
    Files.writeString(file, registry());
    try (Registry registry = Registry.open(jdbcUrl(), "sa", "", 1, START_TIMEOUT)) {
      registry.importFile(file);
    }
  }

  /** Starts the nodes {@code indexes} at the same time and waits until each is ready. */
  private void startNodes(int... indexes) throws IOException, InterruptedException {
    List<CompletableFuture<Void>> starting = new ArrayList<>();
    for (int index : indexes) {
      starting.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  startNode(index);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              }));
    }
    try {
      CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  private void startNode(int index) throws IOException, InterruptedException {
    String name = index == 0 ? "A" : "B";
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("auth", Map.of("hs256Secret", SECRET));
    config.put("publish", Map.of("keys", List.of(Map.of("key", PUBLISH_KEY))));
    config.put("registry", Map.of("jdbcUrl", jdbcUrl()));
    config.put("limits", Map.of("connectionsPerUser", 100_000, "connectionsPerTenant", 100_000));
    config.put("history", Map.of("maxEvents", 1_000_000));
    config.put("cluster", Map.of("natsUrl", nats.url(), "name", "chaos", "leaseMs", 1500));
    config.put("mqtt", Map.of("enabled", false));
    starts[index]++;
    long t0 = System.nanoTime();
    nodes[index] =
        ClusterNode.start(
            name,
            dir.resolve("node-" + name + "-" + starts[index]),
            config,
            settings.serverClassPath(),
            settings.serverJvm(),
            http,
            START_TIMEOUT);
    log.printf(Locale.ROOT, "  node %s ready in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    log.flush();
  }

  /** Starts again any node that a scenario killed. */
  void reviveNodes() throws IOException, InterruptedException {
    for (int i = 0; i < nodes.length; i++) {
      if (!nodes[i].alive()) {
        startNode(i);
      }
    }
  }

  ClusterNode node(int index) {
    return nodes[index];
  }

  PrivateNats nats() {
    return nats;
  }

  /** A token of {@code user} in the bench tenant; an admin reads every project of it. */
  String token(String user, boolean admin) {
    return minter.mint(BenchRegistry.TENANT, user, admin, null, Duration.ofDays(1));
  }

  /**
   * Publishes a property report of device {@code device} through {@code node}'s publish API;
   * its seq when the answer was 200 (acknowledged: stored), empty on any other answer or none.
   */
  OptionalLong publish(int node, int device, long mark) {
    ObjectNode body = Json.object().put("code", "devicePropertyReport");
    body.putObject("device")
        .put("productID", BenchRegistry.PRODUCT)
        .put("deviceName", BenchRegistry.deviceName(device));
    ObjectNode payload = body.putObject("payload").put("identifier", BenchRegistry.IDENTIFIER);
    payload.putObject("param").put("sent", mark).put("pad", "");
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(nodes[node].http("/api/v1/push/publish"))
                  .timeout(REQUEST_TIMEOUT)
                  .header("Authorization", "Bearer " + PUBLISH_KEY)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(Json.text(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode json = Json.parseOrNull(answer.body());
      if (answer.statusCode() == 200 && json != null && json.path("seq").canConvertToLong()) {
        return OptionalLong.of(json.path("seq").asLong());
      }
    } catch (IOException e) {
      // not acknowledged: a dead node, a refused connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OptionalLong.empty();
  }

  /** An admin API call through {@code node} as the tenant's admin; the HTTP status. */
  int admin(int node, String method, String pathAndQuery, String body)
      throws IOException, InterruptedException {
    URI uri = nodes[node].http("/api/v1/admin/tenants/" + BenchRegistry.TENANT + pathAndQuery);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + token("chaos-admin", true))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Leaves the nodes' and NATS's logs in place after the run. */
  void keepLogs() {
    keep = true;
  }

  private void killAll() {
    try {
      for (ClusterNode node : nodes) {
        if (node != null) {
          node.kill();
        }
      }
      nats.close();
    } catch (Exception e) {
      // stopping anyway
    }
  }

  @Override
  public void close() throws Exception {
    Runtime.getRuntime().removeShutdownHook(cleanup);
    for (ClusterNode node : nodes) {
      if (node != null) {
        node.close();
      }
    }
    nats.close();
    h2.stop();
    if (keep) {
      log.println("chaos: the nodes' and NATS's logs are in " + dir);
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
