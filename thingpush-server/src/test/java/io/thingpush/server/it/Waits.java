package io.thingpush.server.it;

import static io.thingpush.client.testkit.TestConnections.framesSoFar;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Bounded waits on what a connection received. */
public final class Waits {
  private Waits() {}

  /** An Awaitility wait bounded by {@link TestServer#WAIT} that checks often. */
  public static ConditionFactory await() {
    return Awaitility.await()
        .atMost(TestServer.WAIT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5));
  }

  /** Runs {@code send}, then waits for the first frame received after it and returns it. */
  public static JsonNode nextFrameAfter(Connection c, Runnable send) {
    int before = framesSoFar(c).size();
    send.run();
    await().until(() -> framesSoFar(c).size() > before);
    return framesSoFar(c).get(before);
  }

  /** Waits until {@code c} received {@code n} pushes and returns all pushes so far. */
  public static List<JsonNode> pushes(Connection c, int n) {
    await().until(() -> pushesSoFar(c).size() >= n);
    return pushesSoFar(c);
  }
}
