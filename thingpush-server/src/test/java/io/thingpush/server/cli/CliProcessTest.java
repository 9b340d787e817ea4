package io.thingpush.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ThingPushClient;
import io.thingpush.core.auth.TokenMinter;
import io.thingpush.protocol.Json;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real {@code main} in a JVM of its own, as a user runs it: what it prints reaches the
 * terminal before the JVM exits, and every start-up failure is one line naming what to change,
 * with a non-zero exit and no stack trace.
 */
class CliProcessTest {
  @TempDir Path dir;

  @Test
  void configPrintsTheDefaults() throws Exception {
    Cli.Result r = Cli.runProcess(dir, "config");

    assertThat(r.exit()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo(ThingPushConfig.defaultsYaml());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ws.port", "http.port"})
  void aTakenPortIsNamedWithItsOption(String option) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String ports =
          option.equals("ws.port")
              ? "\"ws\":{\"host\":\"127.0.0.1\",\"port\":"
                  + taken.getLocalPort()
                  + "},\"http\":{\"host\":\"127.0.0.1\",\"port\":0}"
              : "\"ws\":{\"host\":\"127.0.0.1\",\"port\":0},\"http\":{\"host\":\"127.0.0.1\",\"port\":"
                  + taken.getLocalPort()
                  + "}";
      Path config =
          Files.writeString(
              dir.resolve("c.yaml"),
              "{"
                  + ports
                  + ",\"mqtt\":{\"port\":0},"
                  + "\"auth\":{\"hs256Secret\":\""
                  + Cli.SECRET
                  + "\"},\"registry\":{\"jdbcUrl\":\""
                  + Cli.memoryUrl()
                  + "\"}}");

      Cli.Result r = Cli.runProcess(dir, "serve", "--config", config.toString());

      assertOneLine(r)
          .contains(option + ": port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
          .contains(option.equals("ws.port") ? "THINGPUSH_WS_PORT" : "THINGPUSH_HTTP_PORT");
    }
  }

  @Test
  void anUnreachableRegistryIsNamedWithItsOptionAndCause() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path config =
        Files.writeString(
            dir.resolve("c.yaml"),
            "{\"auth\":{\"hs256Secret\":\""
                + Cli.SECRET
                + "\"},"
                + "\"registry\":{\"jdbcUrl\":\"jdbc:postgresql://127.0.0.1:"
                + closed
                + "/none\"}}");

    Cli.Result r = Cli.runProcess(dir, "serve", "--config", config.toString());

    assertOneLine(r)
        .contains("registry.jdbcUrl")
        .contains("127.0.0.1:" + closed)
        .contains("Connection refused");
  }

  /** The embedded H2 database opens in one process: the second one says so instead of "cannot connect". */
  @Test
  void exportWhileAServerHoldsTheEmbeddedDatabaseSaysSo() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("data/thingpush").toAbsolutePath();
    Path config =
        Files.writeString(dir.resolve("c.yaml"), "{\"registry\":{\"jdbcUrl\":\"" + url + "\"}}");
    ThingPushConfig serverConfig =
        ThingPushConfig.parse(
            "{\"ws\":{\"host\":\"127.0.0.1\",\"port\":0},"
                + "\"http\":{\"host\":\"127.0.0.1\",\"port\":0},\"management\":{\"host\":\"127.0.0.1\",\"port\":0},"
                + "\"mqtt\":{\"port\":0},\"auth\":{\"hs256Secret\":\""
                + Cli.SECRET
                + "\"},\"registry\":{\"jdbcUrl\":\""
                + url
                + "\"}}",
            Map.of());
    try (ThingPushServer server = ThingPushServer.start(serverConfig)) {
      Cli.Result r = Cli.runProcess(dir, "export", "--config", config.toString());

      assertOneLine(r).contains("is in use by another process").contains("/api/v1/admin/export");
    }
  }

  @Test
  void simulateAgainstNothingFailsInOneLine() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }

    Cli.Result r =
        Cli.runProcess(dir, "simulate", "--port", Integer.toString(closed), "--seconds", "1");

    assertOneLine(r).contains("no device could connect to 127.0.0.1:" + closed).contains("--port");
  }

  /** {@code log.format: json}: one JSON object per line, a connection's lines with its connectID and Traceparent as fields. */
  @Test
  void theJsonLogFormatWritesOneObjectPerLineWithTheConnectionsFields() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("c.yaml"),
            "{\"ws\":{\"host\":\"127.0.0.1\",\"port\":0},"
                + "\"http\":{\"host\":\"127.0.0.1\",\"port\":0},\"management\":{\"host\":\"127.0.0.1\",\"port\":0},"
                + "\"mqtt\":{\"port\":0},\"auth\":{\"hs256Secret\":\""
                + Cli.SECRET
                + "\"},"
                + "\"registry\":{\"jdbcUrl\":\""
                + Cli.memoryUrl()
                + "\",\"importFile\":\""
                + Cli.fixture(dir)
                + "\"},"
                + "\"log\":{\"format\":\"json\"}}");
    Process serve = Cli.start(dir, "serve", "--config", config.toString());
    try {
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader =
          new Thread(
              () ->
                  new BufferedReader(
                          new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))
                      .lines()
                      .forEach(lines::add));
      reader.start();
      Pattern listening = Pattern.compile("WebSocket ws://127\\.0\\.0\\.1:(\\d+)");
      Awaitility.await()
          .atMost(Cli.JVM_WAIT)
          .until(
              () -> lines.stream().anyMatch(l -> listening.matcher(l).find()) || !serve.isAlive());
      Matcher ws =
          lines.stream()
              .map(listening::matcher)
              .filter(Matcher::find)
              .findFirst()
              .orElseThrow(() -> new AssertionError("serve did not start: " + lines));
      String token =
          new TokenMinter(Cli.SECRET).mint("default", "alice", false, null, Duration.ofMinutes(5));
      Connection c =
          ThingPushClient.connect(
                  ConnectOptions.builder("ws://127.0.0.1:" + ws.group(1)).token(token).build())
              .get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      JsonNode handler = c.hello().path("handler");
      // The connection's line is written after its connect frame is sent: wait for it, not for
      // the frame, before stopping the server.
      String connectId = handler.path("connectID").asText();
      Awaitility.await()
          .atMost(Cli.WAIT)
          .until(() -> lines.stream().anyMatch(l -> l.contains("opened") && l.contains(connectId)));
      c.close();
      serve.destroy();
      assertThat(serve.waitFor(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      reader.join(Cli.WAIT.toMillis());

      List<JsonNode> json = lines.stream().map(Json::parseOrNull).toList();
      assertThat(json)
          .as("%s", lines)
          .allSatisfy(j -> assertThat(j != null && j.isObject()).isTrue())
          .allSatisfy(
              j ->
                  assertThat(j.path("time").asText())
                      .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z"));
      assertThat(json)
          .as("%s", lines)
          .anySatisfy(
              j -> {
                assertThat(j.path("message").asText()).contains("opened");
                assertThat(j.path("connectID").asText())
                    .isEqualTo(handler.path("connectID").asText());
                assertThat(j.path("Traceparent").asText())
                    .isEqualTo(handler.path("Traceparent").asText());
              });
    } finally {
      serve.destroyForcibly();
    }
  }

  /** Exit 1, nothing on stdout, one line on stderr (no stack trace); that line. */
  private static org.assertj.core.api.AbstractStringAssert<?> assertOneLine(Cli.Result r) {
    assertThat(r.exit()).as("%s", r).isEqualTo(1);
    assertThat(r.err()).as("%s", r).doesNotContain("\tat ").doesNotContain("Exception:");
    return assertThat(r.err().lines().filter(l -> !l.isBlank()).toList())
        .as("%s", r)
        .singleElement()
        .asString();
  }
}
