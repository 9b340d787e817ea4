package io.thingpush.server.it.ithings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.cli.Main;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.it.NodeScript;
import io.thingpush.server.it.RawWebSocket;
import io.thingpush.server.it.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/identity.md, "Replacing i-Things' push tier", done as its reader would: its config and
 * registry file, its serve and token commands, its connect URL and subscriptions; the token
 * minted the i-Things way then receives the pushes of its grant and of its shared device.
 */
class IThingsReplacementTest {
  private static final Path DOC = NodeScript.REPO.resolve("docs/identity.md");
  private static final String JAR = "java -jar thingpush-server/target/thingpush.jar ";

  @TempDir Path dir;

  @Test
  void theStepsOfTheDocWork() throws Exception {
    String section = section(Files.readString(DOC), "## Replacing i-Things' push tier");
    Files.writeString(dir.resolve("ithings.yaml"), block(section, "yaml", 0));
    Files.writeString(dir.resolve("users.json"), block(section, "json", 0));
    List<String> serve = command(block(section, "sh", 0));
    List<String> token = command(block(section, "sh", 1));
    assertThat(serve)
        .containsExactly("serve", "--config", "ithings.yaml", "--import", "users.json");

    // The serve command, on free ports and an in-memory database.
    ThingPushConfig config =
        ThingPushConfig.parse(
                Files.readString(dir.resolve(serve.get(2))),
                Map.of(
                    "THINGPUSH_WS_HOST",
                    "127.0.0.1",
                    "THINGPUSH_WS_PORT",
                    "0",
                    "THINGPUSH_HTTP_HOST",
                    "127.0.0.1",
                    "THINGPUSH_HTTP_PORT",
                    "0",
                    "THINGPUSH_MANAGEMENT_HOST",
                    "127.0.0.1",
                    "THINGPUSH_MANAGEMENT_PORT",
                    "0",
                    "THINGPUSH_MQTT_PORT",
                    "0",
                    "THINGPUSH_REGISTRY_JDBC_URL",
                    "jdbc:h2:mem:replace-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"))
            .withImportFile(dir.resolve(serve.get(4)).toString());
    try (ThingPushServer server = ThingPushServer.start(config)) {
      String login =
          run(
              token.stream()
                  .map(a -> a.equals("ithings.yaml") ? dir.resolve(a).toString() : a)
                  .toList());

      String url =
          Pattern.compile("`(ws://127\\.0\\.0\\.1:7777[^`]*)`")
              .matcher(section)
              .results()
              .findFirst()
              .orElseThrow()
              .group(1)
              .replace(":7777", ":" + server.wsPort())
              .replace("<token>", login);
      try (RawWebSocket app = RawWebSocket.connect(URI.create(url), Map.of(), true)) {
        assertThat(app.awaitJson(TestServer.WAIT).path("code").asInt()).isEqualTo(200);
        for (String sub : frames(section)) {
          app.sendText(sub);
          assertThat(app.awaitJson(TestServer.WAIT).path("code").asInt()).as(sub).isEqualTo(200);
        }
        String key = config.publish().keys().get(0).key();
        publish(server, key, "pump-01", 12);
        publish(server, key, "pump-07", 34);
        Set<String> pushed = new HashSet<>();
        for (int i = 0; i < 2; i++) {
          JsonNode push = app.awaitJson(TestServer.WAIT);
          pushed.add(
              push.at("/body/device/deviceName").asText() + "=" + push.at("/body/param").asInt());
        }
        assertThat(pushed).containsExactlyInAnyOrder("pump-01=12", "pump-07=34");
      }
    }
  }

  private static void publish(ThingPushServer server, String key, String device, int flow) {
    TestServer.HttpResult r =
        TestServer.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpPort() + TestServer.PUBLISH_PATH))
                .header("Authorization", "Bearer " + key)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        TestServer.publishBody(
                            "devicePropertyReport",
                            "pump",
                            device,
                            "{\"identifier\":\"flow\",\"param\":" + flow + "}")))
                .timeout(TestServer.WAIT)
                .build());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  /** {@code thingpush args} in-process; its output. */
  private static String run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args.toArray(String[]::new))).as("thingpush %s: %s", args, err).isZero();
    return out.toString().trim();
  }

  private static String section(String doc, String heading) {
    int start = doc.indexOf(heading);
    assertThat(start).as("%s in %s", heading, DOC).isNotNegative();
    int end = doc.indexOf("\n## ", start + heading.length());
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }

  /** The {@code n}-th fenced block of {@code lang}, its indentation removed. */
  private static String block(String section, String lang, int n) {
    Matcher m =
        Pattern.compile("(?m)^( *)```" + lang + "\\n(.*?)^\\1```", Pattern.DOTALL).matcher(section);
    for (int i = 0; i <= n; i++) {
      assertThat(m.find()).as("block %d of %s", i, lang).isTrue();
    }
    String indent = m.group(1);
    return m.group(2)
        .lines()
        .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
        .reduce("", (a, b) -> a + b + "\n");
  }

  /** The arguments of a {@code java -jar …thingpush.jar} command line. */
  private static List<String> command(String line) {
    assertThat(line.trim()).startsWith(JAR);
    return List.of(line.trim().substring(JAR.length()).split(" +"));
  }

  /** The {@code up.sub} frames the section tells the reader to send. */
  private static List<String> frames(String section) {
    List<String> frames = new ArrayList<>();
    Pattern.compile("`(\\{\"type\":\"up\\.sub\"[^`]*)`")
        .matcher(section)
        .results()
        .forEach(r -> frames.add(r.group(1)));
    assertThat(frames).hasSize(2);
    return frames;
  }
}
