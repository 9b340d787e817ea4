package io.thingpush.server.it.ws;

import static io.thingpush.server.it.Jsons.assertChinese;
import static io.thingpush.server.it.Jsons.assertEnglish;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.APP;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.client.CloseStatus;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.server.it.Jsons;
import io.thingpush.server.it.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SPEC §1: the connect parameters, the success frame, every refusal and their order. */
public class ConnectTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  // ---- success

  @Test
  void successFrameIsExactlyTheIThingsOne() {
    Connection c = server.connect(server.options("alice").build());

    assertJson(c.hello(), "{'code':200,'msg':'成功','handler':{'Traceparent':'*','connectID':'*'}}");
    assertThat(c.traceparent()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(c.connectID()).matches("0|[1-9][0-9]*");
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void connectIdAndTraceparentAreNewForEachConnection() {
    Set<String> connectIDs = new HashSet<>();
    Set<String> traceparents = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      Connection c = server.connectAs("alice");
      connectIDs.add(c.connectID());
      traceparents.add(c.traceparent());
    }

    assertThat(connectIDs).hasSize(5);
    assertThat(traceparents).hasSize(5);
  }

  @Test
  void aRestartedNodeNeverGivesAConnectIdOfItsEarlierRun() {
    Set<String> before = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      before.add(server.connectAs("alice").connectID());
    }
    server.closeClients();

    server.restart(Duration.ZERO);

    String after = server.connectAs("alice").connectID();
    assertThat(before).doesNotContain(after);
    assertThat(Long.parseLong(after))
        .isGreaterThan(before.stream().mapToLong(Long::parseLong).max().orElseThrow());
  }

  @Test
  void paramsMayComeAsHeaders() {
    Connection c =
        server.connect(
            server
                .options("alice")
                .paramsAsHeaders()
                .projectId("p2")
                .tenantCode("default")
                .build());

    assertJson(c.hello(), "{'code':200,'msg':'成功','handler':{'Traceparent':'*','connectID':'*'}}");
    // project-id given as a header is the default projectID of a project subscription
    assertJson(
        join(c.subscribe("deviceConn", params())),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");
  }

  @Test
  void aHeaderWinsOverTheQuery() {
    String good = server.tokenOf("alice");

    Connection headerGood =
        server.connect(
            server
                .options()
                .token("garbage")
                .appCode("")
                .header("token", good)
                .header("app-code", APP)
                .build());
    Connection headerBad =
        server.connect(server.options().token(good).header("token", "garbage").build());
    Connection tenantInHeader =
        server.connect(
            server.options("alice").tenantCode("acme").header("tenant-code", "default").build());

    assertThat(headerGood.hello().path("code").asInt()).as("%s", headerGood.hello()).isEqualTo(200);
    assertRefused(headerBad, 100004, 4001);
    assertThat(tenantInHeader.hello().path("code").asInt())
        .as("%s", tenantInHeader.hello())
        .isEqualTo(200);
  }

  @Test
  void acceptLanguageEnAnswersInEnglish() {
    Connection en = server.connect(server.options("alice").acceptLanguage("en").build());
    Connection enUs =
        server.connect(server.options("alice").acceptLanguage("en-US,en;q=0.9").build());

    assertJson(
        en.hello(), "{'code':200,'msg':'success','handler':{'Traceparent':'*','connectID':'*'}}");
    assertJson(
        enUs.hello(), "{'code':200,'msg':'success','handler':{'Traceparent':'*','connectID':'*'}}");
    assertJson(
        join(en.subscribe("deviceConn", params("projectID", "p1"))),
        "{'code':200,'msg':'success','type':'down.subRet','seq':'*','handler':'*'}");
    assertJson(
        join(en.ping(Jsons.json("{'x':1}"))),
        "{'code':200,'msg':'success','type':'down.pong','handler':'*','body':{'x':1}}");
    var refusal = join(en.subscribe("deviceConn", params("projectID", "nope")));
    assertJson(refusal, "{'code':100009,'msg':'*','type':'down.subRet','handler':'*'}");
    assertEnglish(refusal);
  }

  @Test
  void refusalsAreInEnglishWithAcceptLanguageEn() {
    Connection c = server.connect(server.options().acceptLanguage("en").build());

    assertRefused(c, 100005, 4001);
    assertEnglish(c.hello());
  }

  @Test
  void aNumericUserIdWorks() {
    Connection c = server.connect(server.options(42).build());

    assertThat(c.accepted()).as("%s", c.hello()).isTrue();
    assertJson(
        join(c.subscribe("deviceConn", params("projectID", "p2"))),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");
  }

  @Test
  void edgeValuesThatAreAccepted() {
    assertAccepted(server.options("alice").appCode("a".repeat(64)));
    assertAccepted(server.options().token(server.token("alice").appCodes("other", APP).sign()));
    assertAccepted(server.options("alice").tenantCode("default"));
    // a grant on one area of the project makes the project readable
    assertAccepted(server.options("bob").projectId("p1"));
    assertAccepted(server.options().token(server.token("root").admin().sign()).projectId("p2"));
  }

  // ---- each refusal of §1

  @Test
  void tokenMissing() {
    assertRefused(server.connect(server.options().build()), 100005, 4001);
  }

  @Test
  void tokenNotAJwt() {
    assertRefused(server.connect(server.options().token("not-a-jwt").build()), 100004, 4001);
  }

  @Test
  void tokenWithAlgNone() {
    String none = server.token("alice").unsigned();

    assertRefused(server.connect(server.options().token(none).build()), 100004, 4001);
  }

  @Test
  void tokenWithABadSignature() {
    String forged =
        server.token("alice").signedWith("another-secret-of-at-least-32-characters!").sign();

    assertRefused(server.connect(server.options().token(forged).build()), 100005, 4001);
  }

  @Test
  void tokenExpired() {
    String expired =
        server.token("alice").expiresAt(Instant.now().minus(Duration.ofHours(1))).sign();

    assertRefused(server.connect(server.options().token(expired).build()), 100002, 4001);
  }

  @Test
  void tokenNotYetValid() {
    String early = server.token("alice").notBefore(Instant.now().plus(Duration.ofHours(1))).sign();

    assertRefused(server.connect(server.options().token(early).build()), 100003, 4001);
  }

  @Test
  void tenantCodeOfAnotherTenant() {
    assertRefused(server.connect(server.options("alice").tenantCode("acme").build()), 100012, 4003);
    assertRefused(server.connect(server.options("alice").tenantCode("nope").build()), 100012, 4003);
    String acme = server.token("wile").tenant("acme").sign();
    assertRefused(
        server.connect(server.options().token(acme).tenantCode("default").build()), 100012, 4003);
    assertAccepted(server.options().token(acme).tenantCode("acme"));
  }

  @Test
  void withoutTenantCodeTheTokensTenantCounts() {
    assertAccepted(server.options().token(server.token("wile").tenant("acme").sign()));
  }

  @Test
  void projectIdUnknownInTheUsersTenant() {
    assertRefused(server.connect(server.options("alice").projectId("nope").build()), 100009, 4003);
    // another tenant's project is "not found", never "forbidden"
    assertRefused(server.connect(server.options("alice").projectId("px").build()), 100009, 4003);
    String admin = server.token("root").admin().sign();
    assertRefused(
        server.connect(server.options().token(admin).projectId("px").build()), 100009, 4003);
  }

  @Test
  void projectIdNotReadable() {
    assertRefused(server.connect(server.options("erin").projectId("p1").build()), 100012, 4003);
    assertRefused(server.connect(server.options("dave").projectId("p2").build()), 100012, 4003);
  }

  @Test
  void appCodeTooLong() {
    assertRefused(
        server.connect(server.options("alice").appCode("a".repeat(65)).build()), 100006, 4000);
  }

  @Test
  void appCodeMissingOrEmptyIsCore() {
    assertAccepted(server.options("alice").appCode(null));
    assertAccepted(server.options("alice").appCode(""));
    String coreOnly = server.token("alice").appCodes("core").sign();
    assertAccepted(server.options().token(coreOnly).appCode(null));
    assertRefused(
        server.connect(
            server
                .options()
                .token(server.token("alice").appCodes("other").sign())
                .appCode(null)
                .build()),
        100012,
        4003);
  }

  @Test
  void appCodeNotInTheTokensAppCodes() {
    String token = server.token("alice").appCodes("other").sign();

    assertRefused(server.connect(server.options().token(token).build()), 100012, 4003);
  }

  // ---- when several rows apply, the first wins

  @Test
  void tokenMissingComesFirst() {
    assertRefused(
        server.connect(server.options().appCode(null).tenantCode("acme").projectId("nope").build()),
        100005,
        4001);
  }

  @Test
  void malformedBeforeBadSignatureBeforeExpiry() {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    String noneExpired = server.token("alice").expiresAt(past).unsigned();
    String forgedExpired = server.token("alice").expiresAt(past).signedWith("x".repeat(40)).sign();

    assertRefused(server.connect(server.options().token(noneExpired).build()), 100004, 4001);
    assertRefused(server.connect(server.options().token(forgedExpired).build()), 100005, 4001);
  }

  @Test
  void tokenProblemsBeforeTenantProjectAndAppCode() {
    String expired =
        server.token("alice").expiresAt(Instant.now().minus(Duration.ofHours(1))).sign();

    assertRefused(
        server.connect(
            server
                .options()
                .token(expired)
                .tenantCode("acme")
                .projectId("nope")
                .appCode("")
                .build()),
        100002,
        4001);
  }

  @Test
  void tenantBeforeProjectAndAppCode() {
    assertRefused(
        server.connect(
            server.options("alice").tenantCode("acme").projectId("nope").appCode("").build()),
        100012,
        4003);
  }

  @Test
  void projectBeforeAppCode() {
    assertRefused(
        server.connect(server.options("alice").projectId("nope").appCode("").build()),
        100009,
        4003);
    assertRefused(
        server.connect(server.options("erin").projectId("p1").appCode(null).build()), 100012, 4003);
  }

  @Test
  void appCodeMalformedBeforeAppCodeNotAllowed() {
    String token = server.token("alice").appCodes("other").sign();

    assertRefused(
        server.connect(server.options().token(token).appCode("a".repeat(65)).build()),
        100006,
        4000);
  }

  // ---- not a WebSocket

  @Test
  void plainHttpGetGets400WithAJsonBody() {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + server.wsBase().getPort()
                + ConnectOptions.DEFAULT_PATH
                + "?token="
                + server.tokenOf("alice")
                + "&app-code="
                + APP);

    TestServer.HttpResult r =
        TestServer.send(HttpRequest.newBuilder(uri).timeout(TestServer.WAIT).GET().build());

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/json");
    assertJson(r.json(), "{'code':100006,'msg':'*'}");
    assertChinese(r.json());
  }

  // ---- helpers

  private void assertAccepted(ConnectOptions.Builder options) {
    Connection c = server.connect(options.build());
    assertThat(c.hello().path("code").asInt()).as("first frame %s", c.hello()).isEqualTo(200);
  }

  /** The one frame {@code {"code","msg"}}, then a close with {@code closeCode}. */
  public static void assertRefused(Connection c, int code, int closeCode) {
    assertJson(c.hello(), "{'code':" + code + ",'msg':'*'}");
    if (!"en".equals(c.options().acceptLanguage())) {
      assertChinese(c.hello());
    }
    CloseStatus closed = join(c.closed());
    assertThat(closed.code())
        .as("close of a connection refused with %s", c.hello())
        .isEqualTo(closeCode);
    assertThat(closed.reason()).matches("[\\x20-\\x7e]*");
    assertThat(closed.reason().getBytes(StandardCharsets.US_ASCII).length).isLessThanOrEqualTo(123);
  }
}
