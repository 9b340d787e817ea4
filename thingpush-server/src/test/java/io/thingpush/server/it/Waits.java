package io.thingpush.server.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import java.util.List;

/** Bounded waits on what a connection received. */
final class Waits {
  private Waits() {}

  /** Runs {@code send}, then waits for the first frame received after it and returns it. */
  static JsonNode nextFrameAfter(Connection c, Runnable send) {
    int before = c.framesSoFar().size();
    send.run();
    await().atMost(TestServer.WAIT).until(() -> c.framesSoFar().size() > before);
    return c.framesSoFar().get(before);
  }

  /** Waits until {@code c} received {@code n} pushes and returns all pushes so far. */
  static List<JsonNode> pushes(Connection c, int n) {
    await().atMost(TestServer.WAIT).until(() -> c.pushesSoFar().size() >= n);
    return c.pushesSoFar();
  }
}
