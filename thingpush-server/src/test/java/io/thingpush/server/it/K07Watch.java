package io.thingpush.server.it;

import static io.thingpush.client.testkit.TestConnections.awaitFrame;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static io.thingpush.server.it.TestServer.publishBody;

import io.thingpush.client.Connection;
import java.util.List;

/**
 * Device prodA/k07's connection events, as the publish tests send them and an app watches them:
 * the events whose seqs those tests count.
 */
public final class K07Watch {
  public static final String CONN = "deviceConn";

  private K07Watch() {}

  /** A publish body of k07's {@code deviceConn} with {@code status}. */
  public static String k07(int status) {
    return publishBody(CONN, "prodA", "k07", "{\"status\":" + status + "}");
  }

  /** An app of tenant default watching device k07, ready for pushes. */
  public static Connection watchingK07(TestServer server) {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe(CONN, params("productID", "prodA", "deviceName", "k07"))), Subs.OK_SUB);
    return c;
  }

  /** Publishes a marker event after everything else and returns the seqs {@code c} got up to it. */
  public static List<Long> seqsUpToAMarker(TestServer server, Connection c) {
    long marker = server.publish(CONN, "prodA", "k07", "{\"status\":1}");
    awaitFrame(c, f -> f.path("seq").asLong() == marker, WAIT);
    return pushesSoFar(c).stream()
        .map(p -> p.get("seq").asLong())
        .filter(seq -> seq != marker)
        .toList();
  }
}
