package io.thingpush.server.it.ws;

import static io.thingpush.client.testkit.TestConnections.framesSoFar;
import static io.thingpush.client.testkit.TestConnections.sendText;
import static io.thingpush.server.it.Jsons.assertChinese;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.json;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static io.thingpush.server.it.ws.ConnectTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.Connection;
import io.thingpush.server.it.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SPEC §6 with small limits: connections per user and tenant, subscriptions, message rate. */
class LimitsTest {
  private static final int PER_USER = 2;
  private static final int PER_TENANT = 6;
  private static final int SUBSCRIPTIONS = 3;
  private static final int BURST = 10;

  @RegisterExtension
  static final TestServer server =
      TestServer.forClass(
          c -> {
            Map<String, Object> limits = c.get("limits");
            limits.put("connectionsPerUser", PER_USER);
            limits.put("connectionsPerTenant", PER_TENANT);
            limits.put("subscriptionsPerConnection", SUBSCRIPTIONS);
            limits.put("messagesPerSecond", 5);
            limits.put("messageBurst", BURST);
            limits.put("excessCloseMs", 1000);
          });

  @Test
  void aConnectionOverTheUsersLimitIsRefusedWith100027And4029() {
    List<Connection> open = new ArrayList<>();
    for (int i = 0; i < PER_USER; i++) {
      open.add(server.connectAs("lim-user"));
    }

    Connection refused = server.connect(server.options("lim-user").build());

    assertRefused(refused, 100027, 4029);
    // another user is not affected
    server.connectAs("lim-other");
    // and a place frees up when a connection closes
    open.get(0).close();
    await().atMost(WAIT).until(() -> server.connect(server.options("lim-user").build()).accepted());
  }

  @Test
  void aConnectionOverTheTenantsLimitIsRefusedWith100027And4029() {
    for (int user = 0; user < PER_TENANT / PER_USER; user++) {
      for (int i = 0; i < PER_USER; i++) {
        server.accepted(server.connect(acme("acme-user-" + user)));
      }
    }

    Connection refused = server.connect(acme("acme-user-last"));

    assertRefused(refused, 100027, 4029);
  }

  @Test
  void aSubscriptionOverTheConnectionsLimitIsRefusedWith100027() {
    Connection c = server.connectAs("alice");
    for (int i = 1; i <= SUBSCRIPTIONS; i++) {
      assertJson(
          join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k0" + i))),
          "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");
    }

    JsonNode over =
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k09")));

    assertJson(over, "{'code':100027,'msg':'*','type':'down.subRet','handler':'*'}");
    assertChinese(over);
    // subscribing again to one already held adds nothing: not refused
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k01"))),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");
    // an unsubscribe frees a place
    assertJson(
        join(c.unsubscribe("deviceConn", params("productID", "prodA", "deviceName", "k01"))),
        "{'code':200,'msg':'成功','type':'down.unSubRet','handler':'*'}");
    assertJson(
        join(c.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k09"))),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");
  }

  @Test
  void messagesOverTheRateAreAnsweredWithDownError100027AndDropped() {
    Connection c = server.connectAs("lim-rate");
    List<CompletableFuture<JsonNode>> replies = new ArrayList<>();

    for (int i = 0; i < 4 * BURST; i++) {
      replies.add(c.request("up.ping", json(String.valueOf(i)), Map.of("reqID", "rate-" + i)));
    }

    int errors = 0;
    for (int i = 0; i < replies.size(); i++) {
      JsonNode reply = join(replies.get(i));
      if (reply.path("type").asText().equals("down.error")) {
        assertJson(
            reply,
            "{'code':100027,'msg':'*','type':'down.error','handler':{'reqID':'rate-" + i + "'}}");
        errors++;
      } else {
        assertJson(
            reply,
            "{'code':200,'msg':'成功','type':'down.pong','handler':{'reqID':'rate-"
                + i
                + "'},'body':"
                + i
                + "}");
      }
    }
    assertThat(errors).as("replies refused for rate").isPositive();
    assertThat(c.isOpen()).isTrue();
    // a dropped message is not processed: its one reply is the down.error
    assertThat(framesSoFar(c)).hasSize(replies.size());
  }

  @Test
  void sustainedExcessClosesWith4029() {
    Connection c = server.connectAs("lim-flood");
    String ping = "{\"type\":\"up.ping\",\"body\":0}";

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> {
              for (int i = 0; i < 5 && c.isOpen(); i++) {
                sendText(c, ping);
              }
              return !c.isOpen();
            });

    CloseStatus closed = join(c.closed());
    assertThat(closed.code()).isEqualTo(4029);
    assertThat(closed.reason()).matches("[\\x20-\\x7e]{0,123}");
  }

  private static io.thingpush.client.ConnectOptions acme(String user) {
    return server
        .options()
        .token(server.token(user).tenant("acme").sign())
        .tenantCode("acme")
        .build();
  }
}
