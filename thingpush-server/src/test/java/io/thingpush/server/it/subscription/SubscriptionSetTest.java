package io.thingpush.server.it.subscription;

import static io.thingpush.client.testkit.TestConnections.awaitPush;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.Subs.OK_SUB;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static io.thingpush.server.it.subscription.DeliveryTest.body;
import static io.thingpush.server.it.subscription.DeliveryTest.pub;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §2 "Subscriptions": what a subscription matches (areas form a tree), the default
 * project, subscriptions as a set (idempotent, overlaps pushed once), V2 with an identifier,
 * unsubscribing.
 */
class SubscriptionSetTest {
  private static final String OK_UNSUB =
      "{'code':200,'msg':'成功','type':'down.unSubRet','handler':'*'}";
  @RegisterExtension static final TestServer server = TestServer.forClass();

  /** p1: a1 ⊃ a11 ⊃ a111 (d1), a1 ⊃ a12 (d2), a2 (d3), d4 at the project root. */
  @Test
  void anAreaSubscriptionMatchesItsSubAreasButNotItsSiblingsNorTheProjectRoot() {
    Connection hall = server.connectAs("alice");
    Connection line1 = server.connectAs("alice");
    Connection cell = server.connectAs("alice");
    assertJson(
        join(hall.subscribe("deviceConn", params("projectID", "p1", "areaID", "a1"))), OK_SUB);
    assertJson(
        join(line1.subscribe("deviceConn", params("projectID", "p1", "areaID", "a11"))), OK_SUB);
    assertJson(
        join(cell.subscribe("deviceConn", params("projectID", "p1", "areaID", "a111"))), OK_SUB);

    conn("d3");
    conn("d4");
    conn("d2");
    long d1 = conn("d1");
    long d2 = conn("d2");

    assertThat(devicesOf(Waits.pushes(hall, 3))).containsExactly("d2", "d1", "d2");
    assertThat(pushesSoFar(hall).get(1).get("seq").asLong()).isEqualTo(d1);
    assertThat(pushesSoFar(hall).get(2).get("seq").asLong()).isEqualTo(d2);
    assertJson(
        awaitPush(line1, WAIT),
        pub("deviceConn", d1, body("{'device':DEV,'timestamp':'*','status':1}", "d1")));
    assertJson(
        awaitPush(cell, WAIT),
        pub("deviceConn", d1, body("{'device':DEV,'timestamp':'*','status':1}", "d1")));
    // d2, published between the two d1 events, reached neither line1 nor cell
    conn("d1");
    assertThat(devicesOf(Waits.pushes(line1, 2))).containsExactly("d1", "d1");
    assertThat(devicesOf(Waits.pushes(cell, 2))).containsExactly("d1", "d1");
  }

  @Test
  void theConnectionsProjectIdIsTheDefaultProjectId() {
    Connection c = server.connect(server.options("alice").projectId("pm").build());
    assertThat(c.accepted()).as("%s", c.hello()).isTrue();
    assertJson(join(c.subscribe("deviceConn", params())), OK_SUB);
    assertJson(join(c.subscribe("devicePublish", params("areaID", "m1"))), OK_SUB);
    // an explicit projectID still wins
    assertJson(join(c.subscribe("deviceOtaReport", params("projectID", "p2"))), OK_SUB);

    server.publish(
        "devicePublish",
        "prodA",
        "mdev2",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"m2\"}");
    long connM2 = conn("mdev2");
    long publishM11 =
        server.publish(
            "devicePublish",
            "prodA",
            "mdev11",
            "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"m11\"}");
    server.publish("deviceOtaReport", "prodA", "mdev11", "{\"step\":1,\"status\":4}");
    long otaE1 = server.publish("deviceOtaReport", "prodA", "e1", "{\"step\":2,\"status\":4}");

    List<JsonNode> pushes = Waits.pushes(c, 3);
    assertThat(pushes)
        .extracting(p -> p.get("path").asText() + " " + p.get("seq").asLong())
        .containsExactly(
            "deviceConn " + connM2, "devicePublish " + publishM11, "deviceOtaReport " + otaE1);
  }

  @Test
  void subscribingTwiceNeverDoublesPushesAndOneUnsubEndsIt() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k01"))), OK_SUB);
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k01"))), OK_SUB);
    // the same subscription with a numeric-looking value written differently is still one
    assertJson(
        join(c.subscribe("deviceOtaReport", params("productID", "prodA", "deviceName", 1001))),
        OK_SUB);
    assertJson(
        join(c.subscribe("deviceOtaReport", params("productID", "prodA", "deviceName", "1001"))),
        OK_SUB);

    long s1 = conn("k01");
    long s2 = conn("k01");
    long s3 = server.publish("deviceOtaReport", "prodA", "1001", "{\"step\":3,\"status\":4}");

    assertThat(seqs(Waits.pushes(c, 3))).containsExactly(s1, s2, s3);

    assertJson(
        join(c.unsubscribe("deviceConn", params("productID", "prodA", "deviceName", "k01"))),
        OK_UNSUB);
    conn("k01");
    long s4 = server.publish("deviceOtaReport", "prodA", "1001", "{\"step\":4,\"status\":4}");
    assertThat(seqs(Waits.pushes(c, 4))).containsExactly(s1, s2, s3, s4);
  }

  @Test
  void overlappingSubscriptionsPushEachEventOnce() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k02"))), OK_SUB);
    assertJson(join(c.subscribe("deviceConn", params("projectID", "p2"))), OK_SUB);
    assertJson(join(c.subscribe("deviceConn", params("projectID", "p2", "areaID", "b1"))), OK_SUB);
    assertJson(
        join(
            c.subscribe(
                "devicePropertyReport",
                params("productID", "prodA", "deviceName", "k02", "identifier", "temp"))),
        OK_SUB);
    assertJson(
        join(
            c.subscribe("devicePropertyReport", params("productID", "prodA", "deviceName", "k02"))),
        OK_SUB);
    assertJson(join(c.subscribe("devicePropertyReport", params("projectID", "p2"))), OK_SUB);

    long s1 = conn("k02");
    long s2 =
        server.publish(
            "devicePropertyReport", "prodA", "k02", "{\"identifier\":\"temp\",\"param\":20}");
    long s3 = conn("k03");

    assertThat(seqs(Waits.pushes(c, 3))).containsExactly(s1, s2, s3);
  }

  @Test
  void v2WithAnIdentifierPushesOnlyThatPropertyAndNothingForAReportWithoutIt() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(
            c.subscribe(
                "devicePropertyReportV2",
                params("productID", "prodA", "deviceName", "k03", "identifier", "temp"))),
        OK_SUB);

    server.publish(
        "devicePropertyReportV2", "prodA", "k03", "{\"params\":{\"hum\":1},\"timestamp\":1}");
    long seq =
        server.publish(
            "devicePropertyReportV2",
            "prodA",
            "k03",
            "{\"params\":{\"temp\":20.5,\"hum\":2,\"power\":0},\"timestamp\":2}");

    assertJson(
        awaitPush(c, WAIT),
        pub(
            "devicePropertyReportV2",
            seq,
            body("{'device':DEV,'timestamp':'2','params':{'temp':20.5}}", "k03")));
    assertThat(pushesSoFar(c)).hasSize(1);
  }

  @Test
  void unsubscribeStopsDelivery() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k04"))), OK_SUB);
    assertJson(
        join(c.subscribe("deviceOtaReport", params("productID", "prodA", "deviceName", "k04"))),
        OK_SUB);
    long s1 = conn("k04");
    assertThat(awaitPush(c, WAIT).get("seq").asLong()).isEqualTo(s1);

    assertJson(
        join(c.unsubscribe("deviceConn", params("productID", "prodA", "deviceName", "k04"))),
        OK_UNSUB);
    conn("k04");
    long s2 = server.publish("deviceOtaReport", "prodA", "k04", "{\"step\":5,\"status\":4}");

    assertThat(awaitPush(c, WAIT).get("seq").asLong()).isEqualTo(s2);
    assertThat(seqs(pushesSoFar(c))).containsExactly(s1, s2);
  }

  @Test
  void unsubscribingWhatIsNotHeldAnswers200() {
    Connection alice = server.connectAs("alice");
    Connection dave = server.connectAs("dave");

    assertJson(
        join(alice.unsubscribe("deviceConn", params("productID", "prodA", "deviceName", "k05"))),
        OK_UNSUB);
    assertJson(
        join(alice.unsubscribe("deviceConn", params("productID", "prodA", "deviceName", "nope"))),
        OK_UNSUB);
    assertJson(join(alice.unsubscribe("deviceConn", params("projectID", "nope"))), OK_UNSUB);
    assertJson(
        join(alice.unsubscribe("deviceConn", params("projectID", "p1", "areaID", "nope"))),
        OK_UNSUB);
    assertJson(join(alice.unsubscribe("deviceConn", params("projectID", "px"))), OK_UNSUB);
    assertJson(
        join(alice.unsubscribe("deviceConn", params("productID", "prodX", "deviceName", "x1"))),
        OK_UNSUB);
    assertJson(
        join(dave.unsubscribe("deviceConn", params("productID", "prodA", "deviceName", "d1"))),
        OK_UNSUB);
    assertJson(
        join(
            dave.unsubscribe(
                "devicePropertyReport",
                params("productID", "prodA", "deviceName", "d1", "identifier", "temp"))),
        OK_UNSUB);
  }

  @Test
  void aSubscriptionOnlyMatchesEventsOfItsCode() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k05"))), OK_SUB);

    server.publish("deviceOtaReport", "prodA", "k05", "{\"step\":1,\"status\":4}");
    server.publish(
        "devicePublish",
        "prodA",
        "k05",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"c\"}");
    server.publish("devicePropertyReport", "prodA", "k05", "{\"identifier\":\"temp\",\"param\":1}");
    server.publish("devicePropertyReportV2", "prodA", "k05", "{\"params\":{\"temp\":1}}");
    server.publish(
        "deviceActionReport",
        "prodA",
        "k05",
        "{\"actionID\":\"a\",\"dir\":\"up\",\"reqType\":\"req\"}");
    long seq = conn("k05");

    assertThat(awaitPush(c, WAIT).get("seq").asLong()).isEqualTo(seq);
    assertThat(pushesSoFar(c)).hasSize(1);
  }

  private static long conn(String deviceName) {
    return server.publish("deviceConn", "prodA", deviceName, "{\"status\":1}");
  }

  private static List<String> devicesOf(List<JsonNode> pushes) {
    return pushes.stream()
        .map(p -> p.path("body").path("device").path("deviceName").asText())
        .toList();
  }

  private static List<Long> seqs(List<JsonNode> pushes) {
    return pushes.stream().map(p -> p.get("seq").asLong()).toList();
  }
}
