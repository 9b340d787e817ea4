package io.thingpush.server.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.NodeScript;
import io.thingpush.server.it.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CORS on the HTTP APIs ({@code http.corsAllowedOrigins}): from pages in Debian's headless
 * Chromium, a page of an allowed origin calls the publish API and imports the JavaScript client
 * from the server, and a page of another origin cannot call; by default no origin is allowed.
 */
class CorsBrowserTest {
  private static final Path BROWSER_TEST =
      NodeScript.REPO.resolve("thingpush-server/src/test/browser");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void aPageOfAnAllowedOriginCallsTheApiAndOneOfAnotherOriginCannot() {
    assertThat(CHROMIUM).as("Debian's chromium (./test installs it)").isExecutable();
    assertThat(BROWSER_TEST.resolve("node_modules/playwright-core"))
        .as("npm ci in %s (./test does it)", BROWSER_TEST)
        .isDirectory();
    int allowed = NatsTestServer.freePort();
    int other = NatsTestServer.freePort();
    try (TestServer server =
        TestServer.start(
            config ->
                config
                    .get("http")
                    .put("corsAllowedOrigins", List.of("http://127.0.0.1:" + allowed)))) {
      NodeScript.Result run =
          NodeScript.run(
              BROWSER_TEST,
              Map.of(
                  "THINGPUSH_HTTP",
                  "http://127.0.0.1:" + server.node().httpPort(),
                  "PUBLISH_KEY",
                  TestServer.PLATFORM_KEY,
                  "ALLOWED_PORT",
                  String.valueOf(allowed),
                  "OTHER_PORT",
                  String.valueOf(other),
                  "CHROMIUM",
                  CHROMIUM.toString()),
              Duration.ofMinutes(2),
              "--test",
              "--test-reporter=tap",
              "cors.test.mjs");

      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output())
          .as(run.output())
          .contains("# pass 3")
          .contains("# fail 0")
          .contains("# skipped 0");
    }
  }

  @Test
  void noOriginIsAllowedByDefault() throws Exception {
    try (TestServer server = TestServer.start()) {
      URI publish =
          URI.create("http://127.0.0.1:" + server.node().httpPort() + TestServer.PUBLISH_PATH);
      HttpResponse<String> preflight =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(publish)
                      .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                      .header("Origin", "http://127.0.0.1:1")
                      .header("Access-Control-Request-Method", "POST")
                      .header("Access-Control-Request-Headers", "authorization,content-type")
                      .timeout(TestServer.WAIT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(preflight.statusCode()).isGreaterThanOrEqualTo(400);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }
}
