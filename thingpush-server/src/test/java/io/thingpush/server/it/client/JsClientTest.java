package io.thingpush.server.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.server.it.ControlServer;
import io.thingpush.server.it.NodeScript;
import io.thingpush.server.it.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript client's own tests ({@code thingpush-js/test}, Node's test runner) against a
 * real server that they drive through a {@link ControlServer}: reconnect, resume with since,
 * heartbeat, token refresh and a server restart are exercised on real sockets.
 */
class JsClientTest {
  @Test
  void theJavaScriptClientPassesItsTestsAgainstARealServer() {
    assertThat(NodeScript.REPO.resolve("thingpush-js/node_modules/typescript"))
        .as("npm ci in thingpush-js (./test does it)")
        .isDirectory();
    try (TestServer server = TestServer.start();
        ControlServer control = new ControlServer(server, Map.of())) {
      NodeScript.Result run =
          NodeScript.run(
              NodeScript.REPO.resolve("thingpush-js"),
              Map.of("THINGPUSH_CONTROL", control.url()),
              Duration.ofMinutes(3),
              "--experimental-websocket",
              "--test",
              "--test-reporter=tap",
              "test/unit.test.js",
              "test/server.test.js");

      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output())
          .as(run.output())
          .contains("# fail 0")
          .contains("# skipped 0")
          .containsPattern("# pass [1-9]");
    }
  }
}
