package io.thingpush.server.it.subscription;

import static io.thingpush.client.testkit.TestConnections.awaitPush;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.ACME_KEY;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.client.Connection;
import io.thingpush.server.it.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §5: grants (whole project, or areas with their sub-areas), admins (every project of
 * their tenant), and tenants sealed from each other: another tenant's things are "not found".
 */
class PermissionsTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  @Test
  void anotherTenantsThingsAreNotFoundAndNeverPushed() {
    Connection alice = server.connectAs("alice");
    Connection root =
        server.connect(server.options().token(server.token("root").admin().sign()).build());

    for (Connection c : new Connection[] {alice, root}) {
      assertSub(c, "deviceConn", params("productID", "prodX", "deviceName", "x1"), 100009);
      assertSub(
          c,
          "devicePropertyReport",
          params("productID", "prodX", "deviceName", "x1", "identifier", "temp"),
          100009);
      assertSub(c, "deviceConn", params("projectID", "px"), 100009);
      assertSub(c, "deviceConn", params("projectID", "px", "areaID", "ax1"), 100009);
      assertSub(c, "deviceConn", params("projectID", "p1", "areaID", "ax1"), 100009);
      assertSub(c, "deviceOtaReport", params("projectID", "p2"), 200);
    }

    server.publishAs(ACME_KEY, "deviceConn", "prodX", "x1", "{\"status\":1}");
    server.publish("deviceConn", "prodX", "x1", "{\"status\":2}");
    long own = server.publish("deviceOtaReport", "prodA", "e1", "{\"step\":1,\"status\":4}");

    for (Connection c : new Connection[] {alice, root}) {
      assertThat(awaitPush(c, WAIT).get("seq").asLong()).isEqualTo(own);
      assertThat(pushesSoFar(c)).hasSize(1);
    }
  }

  @Test
  void aUserOfAnotherTenantSeesOnlyItsOwnTenant() {
    Connection wile =
        server.connect(
            server
                .options()
                .token(server.token("wile").tenant("acme").sign())
                .tenantCode("acme")
                .build());
    server.accepted(wile);
    Connection acmeAdmin =
        server.connect(
            server
                .options()
                .token(server.token("boss").tenant("acme").admin().sign())
                .tenantCode("acme")
                .build());
    server.accepted(acmeAdmin);

    assertSub(wile, "deviceConn", params("projectID", "p1"), 100009);
    assertSub(wile, "deviceConn", params("productID", "prodA", "deviceName", "d1"), 100009);
    assertSub(acmeAdmin, "deviceConn", params("projectID", "p2"), 100009);
    assertSub(acmeAdmin, "deviceConn", params("productID", "prodA", "deviceName", "e1"), 100009);
    assertSub(wile, "deviceConn", params("projectID", "px"), 200);
    assertSub(acmeAdmin, "deviceConn", params("projectID", "px", "areaID", "ax1"), 200);

    server.publish("deviceConn", "prodA", "d1", "{\"status\":1}");
    server.publish("deviceConn", "prodA", "e1", "{\"status\":1}");
    long x1 = server.publishAs(ACME_KEY, "deviceConn", "prodX", "x1", "{\"status\":1}");

    for (Connection c : new Connection[] {wile, acmeAdmin}) {
      assertJson(
          awaitPush(c, WAIT),
          "{'code':200,'msg':'成功','type':'down.pub','path':'deviceConn','seq':"
              + x1
              + ",'body':{'device':{'productID':'prodX','deviceName':'x1'},'timestamp':'*','status':1}}");
      assertThat(pushesSoFar(c)).hasSize(1);
    }
  }

  /** bob may read area a1 of p1: a1, a11, a111, a12 and their devices; not a2, not p1 as a whole. */
  @Test
  void anAreaGrantCoversItsSubAreasOnly() {
    Connection bob = server.connectAs("bob");

    assertSub(bob, "deviceConn", params("projectID", "p1", "areaID", "a1"), 200);
    assertSub(bob, "deviceConn", params("projectID", "p1", "areaID", "a11"), 200);
    assertSub(bob, "deviceConn", params("projectID", "p1", "areaID", "a111"), 200);
    assertSub(bob, "deviceConn", params("projectID", "p1", "areaID", "a12"), 200);
    assertSub(bob, "devicePublish", params("productID", "prodA", "deviceName", "d1"), 200);
    assertSub(
        bob,
        "devicePropertyReport",
        params("productID", "prodA", "deviceName", "d2", "identifier", "temp"),
        200);
    assertSub(bob, "deviceConn", params("projectID", "p1", "areaID", "a2"), 100012);
    assertSub(bob, "deviceConn", params("productID", "prodA", "deviceName", "d3"), 100012);
    assertSub(bob, "deviceConn", params("productID", "prodA", "deviceName", "d4"), 100012);
    assertSub(bob, "deviceConn", params("productID", "prodA", "deviceName", "e1"), 100012);
    assertSub(bob, "deviceConn", params("projectID", "p2"), 100012);

    server.publish(
        "devicePublish",
        "prodA",
        "d3",
        "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"c\"}");
    long d1 =
        server.publish(
            "devicePublish",
            "prodA",
            "d1",
            "{\"topic\":\"t\",\"action\":\"report\",\"content\":\"c\"}");
    assertThat(awaitPush(bob, WAIT).get("seq").asLong()).isEqualTo(d1);
  }

  @Test
  void aGrantOnASubAreaDoesNotCoverItsParentOrSiblings() {
    Connection carol = server.connectAs("carol");

    assertSub(carol, "deviceConn", params("projectID", "p1", "areaID", "a11"), 200);
    assertSub(carol, "deviceConn", params("productID", "prodA", "deviceName", "d1"), 200);
    assertSub(carol, "deviceConn", params("projectID", "p1", "areaID", "a1"), 100012);
    assertSub(carol, "deviceConn", params("projectID", "p1", "areaID", "a12"), 100012);
    assertSub(carol, "deviceConn", params("productID", "prodA", "deviceName", "d2"), 100012);
  }

  @Test
  void aProjectSubscriptionNeedsAGrantOnTheWholeProject() {
    Connection bob = server.connectAs("bob");
    Connection bobInP1 = server.connect(server.options("bob").projectId("p1").build());
    server.accepted(bobInP1);

    assertSub(bob, "deviceConn", params("projectID", "p1"), 100012);
    assertSub(bobInP1, "deviceConn", params(), 100012);
    assertSub(bobInP1, "deviceConn", params("areaID", "a11"), 200);
  }

  @Test
  void anAdminSeesEveryProjectOfItsTenant() {
    Connection root =
        server.connect(server.options().token(server.token("root").admin().sign()).build());
    server.accepted(root);

    assertSub(root, "deviceConn", params("projectID", "p1"), 200);
    assertSub(root, "deviceConn", params("projectID", "p2"), 200);
    assertSub(root, "deviceConn", params("projectID", "pm", "areaID", "m1"), 200);
    assertSub(root, "deviceConn", params("productID", "prodA", "deviceName", "d3"), 200);
    assertSub(
        root,
        "devicePropertyReportV2",
        params("productID", "prodA", "deviceName", "d4", "identifier", "hum"),
        200);
  }

  @Test
  void aUserWithoutGrantsReadsNothing() {
    Connection dave = server.connectAs("dave");

    assertSub(dave, "deviceConn", params("projectID", "p1"), 100012);
    assertSub(dave, "deviceConn", params("projectID", "p2", "areaID", "b1"), 100012);
    assertSub(dave, "deviceConn", params("productID", "prodA", "deviceName", "e1"), 100012);
    assertSub(
        dave,
        "devicePropertyReport",
        params("productID", "prodA", "deviceName", "e1", "identifier", "temp"),
        100012);
  }

  private static void assertSub(Connection c, String code, Map<String, ?> params, int expected) {
    String tail =
        expected == 200
            ? "'成功','type':'down.subRet','handler':'*','seq':'*'}"
            : "'*','type':'down.subRet','handler':'*'}";
    assertJson(
        code + " " + params + ":",
        join(c.subscribe(code, params)),
        "{'code':" + expected + ",'msg':" + tail);
  }
}
