package io.thingpush.server.it.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.server.it.NodeScript;
import io.thingpush.server.it.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server-Sent Events from a page's {@code EventSource} in Debian's headless Chromium
 * ({@code src/test/browser/sse.test.mjs}): the stream's events by name, a resume by the browser
 * itself after the server drops the stream, and a refusal the browser does not retry.
 */
class EventSourceBrowserTest {
  private static final Path BROWSER_TEST =
      NodeScript.REPO.resolve("thingpush-server/src/test/browser");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @RegisterExtension static final TestServer server = TestServer.forClass();

  @Test
  void anEventSourceReadsTheStreamAndResumesAfterTheServerDropsIt() {
    assertThat(CHROMIUM).as("Debian's chromium (./test installs it)").isExecutable();
    assertThat(BROWSER_TEST.resolve("node_modules/playwright-core"))
        .as("npm ci in %s (./test does it)", BROWSER_TEST)
        .isDirectory();
    NodeScript.Result run =
        NodeScript.run(
            BROWSER_TEST,
            Map.of(
                "WS_PORT",
                String.valueOf(server.node().wsPort()),
                "THINGPUSH_HTTP",
                "http://127.0.0.1:" + server.node().httpPort(),
                "PUBLISH_KEY",
                TestServer.PLATFORM_KEY,
                "APP",
                TestServer.APP,
                "TOKEN",
                server.tokenOf("alice"),
                "ADMIN_TOKEN",
                server.tokenOf(TestServer.PLATFORM_ADMIN),
                "CHROMIUM",
                CHROMIUM.toString()),
            Duration.ofMinutes(2),
            "--test",
            "--test-reporter=tap",
            "sse.test.mjs");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .as(run.output())
        .contains("# pass 2")
        .contains("# fail 0")
        .contains("# skipped 0");
  }
}
