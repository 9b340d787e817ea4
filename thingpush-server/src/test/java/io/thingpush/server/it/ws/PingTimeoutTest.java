package io.thingpush.server.it.ws;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.json;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingpush.client.Connection;
import io.thingpush.server.it.RawWebSocket;
import io.thingpush.server.it.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SPEC §2: the server pings and closes a connection that answered none of the last 5. */
class PingTimeoutTest {
  private static final int MISSES = 5;

  @RegisterExtension
  static final TestServer server =
      TestServer.forClass(
          c -> {
            c.get("ws").put("pingIntervalMs", 200);
            c.get("ws").put("pingMisses", MISSES);
          });

  @Test
  void aClientThatNeverAnswersPingsIsClosedAndOneThatAnswersIsKept() {
    String query = "token=" + server.tokenOf("alice") + "&app-code=it";
    RawWebSocket silent = server.raw(server.connectUri(query), Map.of(), false);
    RawWebSocket answering = server.raw(server.connectUri(query), Map.of(), true);
    Connection jdk = server.connectAs("alice");
    assertJson(silent.awaitJson(TestServer.WAIT), "{'code':200,'msg':'成功','handler':'*'}");
    assertJson(answering.awaitJson(TestServer.WAIT), "{'code':200,'msg':'成功','handler':'*'}");

    await().atMost(Duration.ofSeconds(10)).until(() -> silent.disconnected().isDone());

    assertThat(silent.pingsReceived())
        .as("pings sent before giving up")
        .isGreaterThanOrEqualTo(MISSES);
    await().atMost(Duration.ofSeconds(10)).until(() -> answering.pingsReceived() > MISSES);
    assertThat(answering.isOpen()).as("a client answering pings stays").isTrue();
    assertThat(jdk.isOpen()).isTrue();
    assertJson(
        join(jdk.ping(json("{'still':'here'}"))),
        "{'code':200,'msg':'成功','type':'down.pong','handler':'*','body':{'still':'here'}}");
    server.closeClients();
  }
}
