package io.thingpush.server.cli;

import static io.thingpush.client.testkit.TestConnections.awaitPush;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.testkit.TestConnections;
import io.thingpush.protocol.Json;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo: {@code serve --demo} prints a connect URL, and a client of that URL subscribed to
 * {@code {"code":"devicePropertyReport","params":{}}} (the connection's project-id fills the
 * project) receives the demo's reports; {@code watch} is such a client.
 *
 * <p>{@code ServeCommand} blocks until its JVM shutdown hook runs and keeps its server in a local
 * variable: in-process it cannot be stopped (interrupting its thread leaves the server running
 * until the JVM exits). So the demo is tested in-process through {@code
 * ThingPushServer.start(config.withDemo())}, and the real {@code serve --demo} in a child JVM
 * stopped with SIGTERM, as a user would.
 */
class ServeDemoTest {
  private static final String DEMO_SUB = "{\"code\":\"devicePropertyReport\",\"params\":{}}";

  @TempDir Path dir;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "serve-demo-test");
            t.setDaemon(true);
            return t;
          });

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void inProcessTheDemoServerPushesReportsToTheConnectUrlAndWatchShowsThem() throws Exception {
    ThingPushConfig config =
        ThingPushConfig.parse(Cli.configYaml(Cli.SECRET, null), Map.of()).withDemo();
    Future<Integer> watching;
    Cli.Running watch = new Cli.Running();
    try (ThingPushServer server = ThingPushServer.start(config)) {
      // the URL serve --demo prints: its token (user demo, any app), app-code demo, project
      // p-factory
      Cli.Result token = Cli.run("token", "--secret", Cli.SECRET, "--user", "demo", "--ttl", "P1D");
      assertThat(token.exit()).as("%s", token).isZero();
      String url =
          "ws://127.0.0.1:"
              + server.wsPort()
              + config.ws().path()
              + "?app-code=demo&project-id=p-factory&token="
              + token.out().trim();

      watching = threads.submit(() -> watch.execute("watch", url));
      await(Cli.WAIT).until(() -> demoPushIn(watch.out()));
      List<String> lines = watch.out().lines().toList();
      assertThat(Json.parseOrNull(lines.get(0)).path("code").asInt())
          .as("first line %s", lines.get(0))
          .isEqualTo(200);
      assertThat(lines)
          .anyMatch(l -> l.contains("\"type\":\"down.subRet\"") && l.contains("\"code\":200"));

      Connection client =
          TestConnections.connect(
                  ConnectOptions.builder("ws://127.0.0.1:" + server.wsPort())
                      .token(token.out().trim())
                      .appCode("demo")
                      .projectId("p-factory")
                      .build())
              .get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(client.accepted()).as("%s", client.hello()).isTrue();
      JsonNode reply =
          client
              .subscribe(Json.parseOrNull(DEMO_SUB))
              .get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(reply.path("code").asInt()).as("%s", reply).isEqualTo(200);
      JsonNode push = awaitPush(client, Cli.WAIT);
      assertThat(push.path("path").asText()).isEqualTo("devicePropertyReport");
      assertThat(push.path("body").path("device").path("productID").asText())
          .isIn("env-sensor", "pump");
      client.close();
    }
    // the server is gone: watch ends by itself
    assertThat(watching.get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("watch exit code")
        .isNotNull();
  }

  @Test
  void serveDemoInItsOwnJvmPrintsAWorkingConnectUrlAndPublishCommand() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("demo.yaml"),
            // no demo drops: a dropped pump-01 would answer the printed action call with 404
            "{\"ws\":{\"host\":\"127.0.0.1\",\"port\":0},\"http\":{\"host\":\"127.0.0.1\",\"port\":0},"
                + "\"management\":{\"host\":\"127.0.0.1\",\"port\":0},\"demo\":{\"dropEveryMs\":0},"
                + "\"registry\":{\"jdbcUrl\":\""
                + Cli.memoryUrl()
                + "\"}}\n");
    Process serve = Cli.start(dir, "serve", "--demo", "--config", config.toString());
    try {
      List<String> out = printed(serve);
      String url =
          out.stream()
              .filter(l -> l.contains("ws://") && l.contains("token="))
              .findFirst()
              .orElseThrow()
              .trim();
      assertThat(url)
          .startsWith("ws://127.0.0.1:")
          .contains("/api/v1/system/common/websocket/connect?");
      // the console link carries the token in its fragment, which the browser keeps to itself
      String console =
          out.stream().filter(l -> l.contains("/console/#token=")).findFirst().orElseThrow().trim();
      assertThat(console)
          .matches(
              "http://127\\.0\\.0\\.1:\\d+/console/#token=[\\w.-]+&app-code=demo&project-id=p-factory");

      Cli.Running watch = new Cli.Running();
      Future<Integer> watching = threads.submit(() -> watch.execute("watch", url));
      await(Cli.WAIT).alias("a demo push in watch's output").until(() -> demoPushIn(watch.out()));

      // every curl line printed works as printed (Content-Type included): publish, action, admin
      List<String> curls =
          out.stream().map(String::trim).filter(l -> l.startsWith("curl ")).toList();
      assertThat(curls)
          .hasSize(3)
          .allMatch(
              c ->
                  c.contains("/api/v1/push/") == c.contains("-H 'Content-Type: application/json'"));
      for (String curl : curls) {
        assertThat(curlAsPrinted(curl)).as(curl).isEqualTo(200);
      }
      assertThat(curls.get(2)).contains("/api/v1/admin/");
      assertThat(String.join("\n", out)).contains("mosquitto_rr ").contains("data/demo.yaml");
      assertThat(dir.resolve("data/demo.yaml")).exists();

      serve.destroy(); // SIGTERM: the shutdown hook closes the server
      assertThat(serve.waitFor(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("serve ends on SIGTERM")
          .isTrue();
      assertThat(watching.get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("watch ends with the server")
          .isNotNull();

      // a restart keeps the secret and the key: what the first run printed still works
      serve = Cli.start(dir, "serve", "--demo", "--config", config.toString());
      List<String> again = printed(serve);
      String http =
          again.stream()
              .filter(l -> l.contains("/api/v1/push/publish"))
              .findFirst()
              .orElseThrow()
              .replaceAll(".*(http://127\\.0\\.0\\.1:\\d+).*", "$1");
      for (String curl : curls) {
        assertThat(curlAsPrinted(curl.replaceAll("http://127\\.0\\.0\\.1:\\d+", http)))
            .as("after a restart: %s", curl)
            .isEqualTo(200);
      }
      serve.destroy();
      assertThat(serve.waitFor(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("serve ends on SIGTERM")
          .isTrue();
    } finally {
      serve.destroyForcibly();
    }
  }

  /** What {@code serve --demo} printed, once its instructions are out. */
  private List<String> printed(Process serve) {
    List<String> out = collect(serve.getInputStream());
    List<String> err = collect(serve.getErrorStream());
    await(Cli.JVM_WAIT)
        .alias("serve --demo prints its instructions")
        .until(() -> out.stream().anyMatch(l -> l.contains("token -c")) || !serve.isAlive());
    assertThat(serve.isAlive()).as("serve --demo runs; out %s, err %s", out, err).isTrue();
    return out;
  }

  /** Runs a printed {@code curl -H '…' -H '…' -d '…' URL} line with the JDK's client; its status. */
  private static int curlAsPrinted(String curl) throws Exception {
    Matcher m = Pattern.compile("-H '([^']*)'|-d '([^']*)'|(http://\\S+)").matcher(curl);
    HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Cli.WAIT);
    String body = null;
    while (m.find()) {
      if (m.group(1) != null) {
        String[] header = m.group(1).split(": ", 2);
        request.header(header[0], header[1]);
      } else if (m.group(2) != null) {
        body = m.group(2);
      } else {
        request.uri(URI.create(m.group(3)));
      }
    }
    request.method(
        body == null ? "GET" : "POST",
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("Content-Type"))
        .as(r.body())
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return r.statusCode();
  }

  /** A line of {@code watch} output that is a devicePropertyReport push. */
  private static boolean demoPushIn(String output) {
    return output
        .lines()
        .anyMatch(
            l ->
                l.contains("\"type\":\"down.pub\"")
                    && l.contains("\"path\":\"devicePropertyReport\""));
  }

  private List<String> collect(InputStream stream) {
    List<String> lines = new CopyOnWriteArrayList<>();
    threads.submit(
        () -> {
          try (BufferedReader r =
              new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              lines.add(line);
            }
          } catch (IOException e) {
            // the process ended
          }
          return null;
        });
    return lines;
  }

  private static ConditionFactory await(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(20));
  }
}
