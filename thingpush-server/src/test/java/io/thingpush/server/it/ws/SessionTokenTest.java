package io.thingpush.server.it.ws;

import static io.thingpush.client.testkit.TestConnections.awaitPush;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.json;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.client.CloseStatus;
import io.thingpush.client.Connection;
import io.thingpush.server.it.TestServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §2/§5: {@code exp} is enforced during a session (close 4001) and {@code up.setHandle}
 * swaps the token in place — a fresh token of the same user extends the session; another
 * user's token or a bad one is refused and the old token stays in force.
 */
class SessionTokenTest {
  /** Long enough to connect and send a request or two on a loaded machine; the test moves the clock past it. */
  private static final Duration SHORT_LIFE = Duration.ofSeconds(30);

  @RegisterExtension static final TestServer server = TestServer.forClass();

  /**
   * Three sessions on one short-lived token, so that one expiry serves all three cases: left
   * alone, it is closed with 4001; refused a token of another user or tenant (100012), its old
   * token stays in force and it is closed too; refreshed with a fresh token of the same user,
   * it outlives the old token and keeps its subscriptions.
   */
  @Test
  void whenATokenExpiresMidSessionOnlyTheSessionRefreshedBySetHandleSurvives() {
    String old = shortLived("sam");
    Connection plain = server.accepted(server.connect(server.options().token(old).build()));
    Connection refused = server.accepted(server.connect(server.options().token(old).build()));
    Connection refreshed = server.accepted(server.connect(server.options().token(old).build()));
    assertJson(
        join(refreshed.subscribe("deviceConn", params("productID", "prodA", "deviceName", "k06"))),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");

    assertJson(
        join(refused.setHandle(server.tokenOf("alice"))),
        "{'code':100012,'msg':'*','type':'down.setHandleRet','handler':'*'}");
    assertJson(
        join(refused.setHandle(server.token("sam").tenant("acme").sign())),
        "{'code':100012,'msg':'*','type':'down.setHandleRet','handler':'*'}");
    assertJson(
        join(refused.ping(json("1"))),
        "{'code':200,'msg':'成功','type':'down.pong','handler':'*','body':1}");
    assertJson(
        join(refreshed.setHandle(server.tokenOf("sam"))),
        "{'code':200,'msg':'成功','type':'down.setHandleRet','handler':'*'}");

    server.clock().advance(SHORT_LIFE);

    CloseStatus plainClosed = join(plain.closed());
    assertThat(plainClosed.code()).as("close of a session whose token expired").isEqualTo(4001);
    assertThat(plainClosed.reason()).matches("[\\x20-\\x7e]{0,123}");
    assertThat(join(refused.closed()).code())
        .as("close of a session whose setHandle was refused: the old token stayed in force")
        .isEqualTo(4001);
    // Every alarm the move made due has run: the refreshed session's old expiry would have closed
    // it.
    assertThat(refreshed.isOpen()).isTrue();
    assertJson(
        join(refreshed.ping(json("2"))),
        "{'code':200,'msg':'成功','type':'down.pong','handler':'*','body':2}");
    long seq = server.publish("deviceConn", "prodA", "k06", "{\"status\":1}");
    assertThat(awaitPush(refreshed, WAIT).get("seq").asLong())
        .as("subscriptions kept")
        .isEqualTo(seq);
  }

  @Test
  void setHandleWithABadTokenAnswersItsTokenCode() {
    Connection c = server.connectAs("sam");
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
    Instant inAnHour = Instant.now().plus(Duration.ofHours(1));

    assertSetHandle(c, "not-a-jwt", 100004);
    assertSetHandle(c, server.token("sam").unsigned(), 100004);
    assertSetHandle(c, server.token("sam").signedWith("y".repeat(40)).sign(), 100005);
    assertSetHandle(c, server.token("sam").expiresAt(hourAgo).sign(), 100002);
    assertSetHandle(c, server.token("sam").notBefore(inAnHour).sign(), 100003);
    assertThat(c.isOpen()).isTrue();
    assertJson(
        join(c.ping(json("2"))),
        "{'code':200,'msg':'成功','type':'down.pong','handler':'*','body':2}");
  }

  private static void assertSetHandle(Connection c, String token, int code) {
    assertJson(
        "setHandle(" + token + "):",
        join(c.setHandle(token)),
        "{'code':" + code + ",'msg':'*','type':'down.setHandleRet','handler':'*'}");
  }

  private static String shortLived(String user) {
    return server.token(user).expiresAt(server.clock().instant().plus(SHORT_LIFE)).sign();
  }
}
