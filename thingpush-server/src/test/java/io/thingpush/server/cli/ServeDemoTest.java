package io.thingpush.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ThingPushClient;
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
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
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
    ThingPushConfig config = ThingPushConfig.parse(Cli.configYaml(Cli.SECRET, null), Map.of()).withDemo();
    Future<Integer> watching;
    Cli.Running watch = new Cli.Running();
    try (ThingPushServer server = ThingPushServer.start(config)) {
      // the URL serve --demo prints: its token (user demo, any app), app-code demo, project p-factory
      Cli.Result token = Cli.run("token", "--secret", Cli.SECRET, "--user", "demo", "--ttl", "P1D");
      assertThat(token.exit()).as("%s", token).isZero();
      String url = "ws://127.0.0.1:" + server.wsPort() + config.ws().path()
          + "?app-code=demo&project-id=p-factory&token=" + token.out().trim();

      watching = threads.submit(() -> watch.execute("watch", url));
      await(Cli.WAIT).until(() -> demoPushIn(watch.out()));
      List<String> lines = watch.out().lines().toList();
      assertThat(Json.parseOrNull(lines.get(0)).path("code").asInt()).as("first line %s", lines.get(0)).isEqualTo(200);
      assertThat(lines).anyMatch(l -> l.contains("\"type\":\"down.subRet\"") && l.contains("\"code\":200"));

      Connection client = ThingPushClient.connect(ConnectOptions.builder("ws://127.0.0.1:" + server.wsPort())
          .token(token.out().trim()).appCode("demo").projectId("p-factory").build())
          .get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(client.accepted()).as("%s", client.hello()).isTrue();
      JsonNode reply = client.subscribe(Json.parseOrNull(DEMO_SUB)).get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(reply.path("code").asInt()).as("%s", reply).isEqualTo(200);
      JsonNode push = client.awaitPush(Cli.WAIT);
      assertThat(push.path("path").asText()).isEqualTo("devicePropertyReport");
      assertThat(push.path("body").path("device").path("productID").asText()).isIn("env-sensor", "pump");
      client.close();
    }
    // the server is gone: watch ends by itself
    assertThat(watching.get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("watch exit code").isNotNull();
  }

  @Test
  void serveDemoInItsOwnJvmPrintsAWorkingConnectUrlAndPublishCommand() throws Exception {
    Path config = Files.writeString(dir.resolve("demo.yaml"),
        "{\"ws\":{\"host\":\"127.0.0.1\",\"port\":0},\"http\":{\"host\":\"127.0.0.1\",\"port\":0},"
            + "\"registry\":{\"jdbcUrl\":\"" + Cli.memoryUrl() + "\"}}\n");
    Process serve = Cli.start(dir, "serve", "--demo", "--config", config.toString());
    try {
      serve.getOutputStream().close();
      List<String> out = collect(serve.getInputStream());
      List<String> err = collect(serve.getErrorStream());
      await(Cli.JVM_WAIT).alias("serve --demo prints a connect URL")
          .until(() -> out.stream().anyMatch(l -> l.contains("ws://") && l.contains("token=")) || !serve.isAlive());
      assertThat(serve.isAlive()).as("serve --demo runs; out %s, err %s", out, err).isTrue();
      String url = out.stream().filter(l -> l.contains("ws://") && l.contains("token=")).findFirst().orElseThrow().trim();
      assertThat(url).startsWith("ws://127.0.0.1:").contains("/api/v1/system/common/websocket/connect?");
      // the console link carries the token in its fragment, which the browser keeps to itself
      String console = out.stream().filter(l -> l.contains("/console/#token=")).findFirst().orElseThrow().trim();
      assertThat(console).matches("http://127\\.0\\.0\\.1:\\d+/console/#token=[\\w.-]+&app-code=demo&project-id=p-factory");

      Cli.Running watch = new Cli.Running();
      Future<Integer> watching = threads.submit(() -> watch.execute("watch", url));
      await(Cli.WAIT).alias("a demo push in watch's output").until(() -> demoPushIn(watch.out()));

      // step 3 of the printed instructions: publish an event of one's own
      String text = String.join("\n", out);
      Matcher key = Pattern.compile("Bearer (demo-[0-9a-f]+)").matcher(text);
      Matcher publish = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/api/v1/push/publish)").matcher(text);
      assertThat(key.find() && publish.find()).as("publish instructions in %s", text).isTrue();
      HttpResponse<String> published = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(publish.group(1))).timeout(Cli.WAIT)
              .header("Authorization", "Bearer " + key.group(1))
              .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"deviceConn\","
                  + "\"device\":{\"productID\":\"pump\",\"deviceName\":\"pump-01\"},\"payload\":{\"status\":2}}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(published.statusCode()).as("%s", published.body()).isEqualTo(200);

      serve.destroy(); // SIGTERM: the shutdown hook closes the server
      assertThat(serve.waitFor(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("serve ends on SIGTERM").isTrue();
      assertThat(watching.get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("watch ends with the server").isNotNull();
    } finally {
      serve.destroyForcibly();
    }
  }

  /** A line of {@code watch} output that is a devicePropertyReport push. */
  private static boolean demoPushIn(String output) {
    return output.lines().anyMatch(l -> l.contains("\"type\":\"down.pub\"") && l.contains("\"path\":\"devicePropertyReport\""));
  }

  private List<String> collect(InputStream stream) {
    List<String> lines = new CopyOnWriteArrayList<>();
    threads.submit(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
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
