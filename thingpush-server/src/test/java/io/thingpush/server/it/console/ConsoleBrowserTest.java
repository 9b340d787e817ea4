package io.thingpush.server.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.auth.TokenMinter;
import io.thingpush.server.cli.DemoLinks;
import io.thingpush.server.it.ControlServer;
import io.thingpush.server.it.NodeScript;
import io.thingpush.server.it.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web console in Debian's headless Chromium (Playwright, {@code src/test/browser}) against a
 * demo server: it connects from the demo link, shows pushed events in the table and points on
 * the chart, flips a device's badge when it goes offline, and survives a server restart with no
 * event missing. Leaves a screenshot at {@code target/console.png}.
 */
class ConsoleBrowserTest {
  private static final Path BROWSER_TEST = NodeScript.REPO.resolve("thingpush-server/src/test/browser");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void theConsoleWorksInARealBrowserAgainstADemoServer() {
    assertThat(CHROMIUM).as("Debian's chromium (./test installs it)").isExecutable();
    assertThat(BROWSER_TEST.resolve("node_modules/playwright-core"))
        .as("npm ci in %s (./test does it)", BROWSER_TEST).isDirectory();
    Path screenshot = Path.of("target/console.png").toAbsolutePath();
    try (TestServer server = TestServer.start(ConsoleBrowserTest::demo)) {
      String token = new TokenMinter(TestServer.SECRET).mint("default", "demo", false, null, Duration.ofHours(1));
      String consoleUrl = DemoLinks.consoleUrl(server.node().httpPort(), token);
      try (ControlServer control = new ControlServer(server, Map.of("consoleUrl", consoleUrl))) {
        NodeScript.Result run = NodeScript.run(BROWSER_TEST,
            Map.of("THINGPUSH_CONTROL", control.url(), "SCREENSHOT", screenshot.toString(),
                "CHROMIUM", CHROMIUM.toString()),
            Duration.ofMinutes(4), "--test", "--test-reporter=tap", "console.test.mjs");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).as(run.output()).contains("# fail 0").contains("# skipped 0")
            .containsPattern("# pass [1-9]");
        assertThat(screenshot).isNotEmptyFile();
      }
    }
  }

  /** The demo registry and demo traffic instead of the test registry. */
  private static void demo(Map<String, Map<String, Object>> config) {
    Map<String, Object> demo = new LinkedHashMap<>();
    demo.put("enabled", true);
    config.put("demo", demo);
    config.get("registry").remove("importFile");
  }
}
