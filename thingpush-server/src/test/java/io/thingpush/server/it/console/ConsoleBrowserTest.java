package io.thingpush.server.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.auth.TokenMinter;
import io.thingpush.server.cli.DemoLinks;
import io.thingpush.server.it.ControlServer;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.NodeScript;
import io.thingpush.server.it.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web console in Debian's headless Chromium (Playwright, {@code src/test/browser}) against a
 * demo server and its simulated MQTT devices: the demo link opens a live dashboard (badges,
 * latest values, charts with history), a device's panel calls actions and sets properties, the
 * registry is followed live, the operator view lists and closes connections, and the console
 * survives a server restart with no event missing. Beside the demo factory, project p-lab holds
 * one device that is online but never answers (a 504 from the panel). Leaves the screenshots at
 * {@code target/console.png} and {@code target/console-operator.png}.
 */
class ConsoleBrowserTest {
  private static final Path BROWSER_TEST =
      NodeScript.REPO.resolve("thingpush-server/src/test/browser");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void theConsoleWorksInARealBrowserAgainstADemoServer() {
    assertThat(CHROMIUM).as("Debian's chromium (./test installs it)").isExecutable();
    assertThat(BROWSER_TEST.resolve("node_modules/playwright-core"))
        .as("npm ci in %s (./test does it)", BROWSER_TEST)
        .isDirectory();
    Path screenshot = Path.of("target/console.png").toAbsolutePath();
    Path operatorShot = Path.of("target/console-operator.png").toAbsolutePath();
    try (TestServer server = TestServer.start(ConsoleBrowserTest::demo)) {
      server.importRegistry(LAB);
      MqttDevice silent = MqttDevice.online(server.mqttPort(), "pump", "pump-lab", "lab-secret");
      String token =
          new TokenMinter(TestServer.SECRET)
              .mint("default", "demo", false, null, Duration.ofHours(1));
      String consoleUrl = DemoLinks.consoleUrl(server.node().httpPort(), token);
      try (ControlServer control = new ControlServer(server, Map.of("consoleUrl", consoleUrl))) {
        NodeScript.Result run =
            NodeScript.run(
                BROWSER_TEST,
                Map.of(
                    "THINGPUSH_CONTROL",
                    control.url(),
                    "SCREENSHOT",
                    screenshot.toString(),
                    "SCREENSHOT_OPERATOR",
                    operatorShot.toString(),
                    "CHROMIUM",
                    CHROMIUM.toString()),
                Duration.ofMinutes(4),
                "--test",
                "--test-reporter=tap",
                "console.test.mjs");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
            .as(run.output())
            .contains("# fail 0")
            .contains("# skipped 0")
            .containsPattern("# pass [1-9]");
        assertThat(screenshot).isNotEmptyFile();
        assertThat(operatorShot).isNotEmptyFile();
      } finally {
        silent.close();
      }
    }
  }

  /** A second project of the demo user with a device that never answers what it is sent. */
  private static final String LAB =
      """
      {"projects": [{"id": "p-lab", "tenant": "default", "name": "Test lab"}],
       "devices": [{"productID": "pump", "deviceName": "pump-lab", "secret": "lab-secret", "projectID": "p-lab"}],
       "grants": [{"tenant": "default", "userID": "demo", "projectID": "p-lab"}]}""";

  /** The demo registry and demo traffic instead of the test registry. */
  private static void demo(Map<String, Map<String, Object>> config) {
    Map<String, Object> demo = new LinkedHashMap<>();
    demo.put("enabled", true);
    // A dropped pump would answer the panel's calls with 404; no test here waits on a drop.
    demo.put("dropEveryMs", 0);
    config.put("demo", demo);
    config.get("registry").remove("importFile");
  }
}
