package io.thingpush.server.it.nats;

import static io.thingpush.server.it.AdminClient.ok;
import static io.thingpush.server.it.AdminClient.refused;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.Connection;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's view of a cluster through any one node: every node answers over NATS for itself
 * and its own connections, and a connection held by another node is closed by that node.
 */
class OperatorClusterTest {
  private static NatsTestServer nats;
  private static TestServer first;
  private static TestServer second;

  @BeforeAll
  static void start() {
    nats = NatsTestServer.start();
    String name = "t" + UUID.randomUUID().toString().substring(0, 8);
    first =
        TestServer.start(
            c ->
                c.put("cluster", new LinkedHashMap<>(Map.of("natsUrl", nats.url(), "name", name))));
    second =
        TestServer.start(
            c ->
                c.put("cluster", new LinkedHashMap<>(Map.of("natsUrl", nats.url(), "name", name))));
  }

  @AfterAll
  static void stop() {
    first.close();
    second.close();
    nats.close();
  }

  @Test
  void anyNodeAnswersForTheWholeClusterAndClosesAConnectionHeldByAnother() {
    Connection onFirst = first.connectAs("alice");
    Connection onSecond = second.connectAs("bob");
    AdminClient operator = new AdminClient(first, first.tokenOf(TestServer.PLATFORM_ADMIN));

    List<String> nodes = new ArrayList<>();
    ok(operator.get("/nodes"), 200)
        .path("nodes")
        .forEach(n -> nodes.add(n.path("node").asText() + ":" + n.path("connections").asInt()));
    assertThat(nodes).hasSize(2).allMatch(n -> n.matches("n[0-9]+:1"));

    JsonNode connections = ok(operator.get("/connections"), 200);
    assertThat(connections.path("total").asInt()).isEqualTo(2);
    List<String> held = new ArrayList<>();
    connections
        .path("items")
        .forEach(c -> held.add(c.path("userID").asText() + "@" + c.path("node").asText()));
    assertThat(held)
        .hasSize(2)
        .doesNotHaveDuplicates()
        .anyMatch(h -> h.startsWith("bob@n"))
        .anyMatch(h -> h.startsWith("alice@n"));

    ok(
        operator.post(
            "/connections/" + onSecond.connectID() + "/close",
            "{'code':4029,'reason':'slow down'}"),
        200);
    CloseStatus closed = join(onSecond.closed());
    assertThat(closed.code()).isEqualTo(4029);
    assertThat(closed.reason()).isEqualTo("slow down");
    assertThat(onFirst.isOpen()).isTrue();
    refused(
        operator.post("/connections/" + onSecond.connectID() + "/close", "{'code':4009}"),
        404,
        100009);
  }
}
