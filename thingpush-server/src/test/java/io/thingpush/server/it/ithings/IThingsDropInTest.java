package io.thingpush.server.it.ithings;

import static io.thingpush.server.it.Jsons.assertJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.IThingsApp;
import io.thingpush.server.it.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A front end written for i-Things, unchanged: only i-Things' connect names, its login tokens
 * (no tenant claim: the registry's users) and its frames, against a running server (SPEC §1, §2,
 * §5). The registry knows user 1790000000000000001 of tenant default (grant: project p2, whose
 * devices include prodA/e1) and 1790000000000000002 of tenant acme.
 */
class IThingsDropInTest {
  private static final String USER = "1790000000000000001";
  private static final String ACME_USER = "1790000000000000002";
  private static final Duration QUIET = Duration.ofMillis(300);

  @RegisterExtension static final TestServer server = TestServer.forClass();

  private static String login(String user) {
    return server.login(user).sign();
  }

  private static IThingsApp connect(IThingsApp.Params params) {
    return IThingsApp.connect(server, params);
  }

  private static void assertAccepted(IThingsApp app) {
    assertJson(
        app.hello(), "{'code':200,'msg':'成功','handler':{'Traceparent':'*','connectID':'*'}}");
  }

  private static void assertRefused(IThingsApp app, int code, int close) {
    assertJson(app.hello(), "{'code':" + code + ",'msg':'*'}");
    assertThat(app.closeCode()).as("close after %s", app.hello()).isEqualTo(close);
  }

  private static void temp(String device, double value) {
    server.publish(
        "devicePropertyReport",
        "prodA",
        device,
        "{\"identifier\":\"temp\",\"param\":" + value + "}");
  }

  // ---- the names a front end sends the token by

  @Test
  void theTokenIsTakenUnderEveryNameIThingsReads() {
    String token = login(USER);
    assertAccepted(connect(IThingsApp.params().query("ithings-token", token)));
    assertAccepted(connect(IThingsApp.params().header("ithings-token", token)));
    assertAccepted(connect(IThingsApp.params().bearer(token)));
    assertAccepted(connect(IThingsApp.params().query("token", token)));
    assertAccepted(connect(IThingsApp.params().header("token", token)));
  }

  @Test
  void headersComeBeforeTheQueryAndTheIThingsNameBeforeThePlainOne() {
    String good = login(USER);
    String bad = server.login(USER).signedWith("y".repeat(40)).sign();
    // Each pair: the one that must win is good; swapped, the bad one wins and is refused.
    assertAccepted(connect(IThingsApp.params().header("token", good).query("ithings-token", bad)));
    assertRefused(
        connect(IThingsApp.params().header("token", bad).query("ithings-token", good)),
        100005,
        4001);
    assertAccepted(connect(IThingsApp.params().header("ithings-token", good).header("token", bad)));
    assertRefused(
        connect(IThingsApp.params().header("ithings-token", bad).header("token", good)),
        100005,
        4001);
    assertAccepted(connect(IThingsApp.params().query("ithings-token", good).query("token", bad)));
    // i-Things reads Authorization: Bearer first.
    assertAccepted(connect(IThingsApp.params().bearer(good).header("ithings-token", bad)));
    assertRefused(
        connect(IThingsApp.params().bearer(bad).header("ithings-token", good)), 100005, 4001);
    // An empty value is no value.
    assertAccepted(connect(IThingsApp.params().header("ithings-token", "").query("token", good)));
  }

  @Test
  void theOtherParametersFollowTheSameOrder() {
    String token = login(USER);
    // project-id: p1 is not readable for this user, p2 is.
    assertAccepted(
        connect(
            IThingsApp.params()
                .bearer(token)
                .header("ithings-project-id", "p2")
                .header("project-id", "p1")
                .query("ithings-project-id", "p1")));
    assertRefused(
        connect(
            IThingsApp.params()
                .bearer(token)
                .header("project-id", "p1")
                .query("ithings-project-id", "p2")),
        100012,
        4003);
    // tenant-code
    assertAccepted(
        connect(
            IThingsApp.params()
                .bearer(token)
                .header("ithings-tenant-code", "default")
                .header("tenant-code", "acme")));
    assertRefused(
        connect(
            IThingsApp.params()
                .bearer(token)
                .query("ithings-tenant-code", "acme")
                .query("tenant-code", "default")),
        100012,
        4003);
    // app-code: a token for app core only
    String coreOnly = server.login(USER).appCode("core").sign();
    assertAccepted(
        connect(
            IThingsApp.params()
                .bearer(coreOnly)
                .header("ithings-app-code", "core")
                .header("app-code", "mobile")));
    assertRefused(
        connect(
            IThingsApp.params()
                .bearer(coreOnly)
                .header("app-code", "mobile")
                .query("ithings-app-code", "core")),
        100012,
        4003);
  }

  @Test
  void tokenMissingUnderEveryName() {
    assertRefused(connect(IThingsApp.params().header("Authorization", "Basic abc")), 100005, 4001);
    assertRefused(connect(IThingsApp.params().query("ithings-token", "")), 100005, 4001);
  }

  // ---- i-Things login tokens and the registry's users

  @Test
  void aLoginTokenOfARegistryUserReceivesThePushesOfItsGrants() {
    IThingsApp app =
        connect(
            IThingsApp.params()
                .query("ithings-token", login(USER))
                .query("ithings-project-id", "p2"));
    assertAccepted(app);
    // project-id p2 makes projectID optional, as in i-Things.
    assertJson(
        app.subscribe("devicePropertyReport", "{}"),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*'}");

    temp("e1", 21.5);

    JsonNode push = app.next("down.pub");
    assertThat(push.path("body").path("device").path("deviceName").asText()).isEqualTo("e1");
    assertThat(push.path("body").path("param").asDouble()).isEqualTo(21.5);
    // Its tenant is the registry's: a device of acme is not found for it.
    assertThat(
            app.subscribe("devicePropertyReport", "{'productID':'prodX','deviceName':'x1'}")
                .path("code")
                .asInt())
        .isEqualTo(100009);
  }

  @Test
  void withoutTenantCodeTheUsersTenantInTheRegistryCounts() {
    IThingsApp app = connect(IThingsApp.params().bearer(login(ACME_USER)));
    assertAccepted(app);
    assertThat(app.subscribe("devicePropertyReport", "{'projectID':'px'}").path("code").asInt())
        .isEqualTo(200);
  }

  @Test
  void anUnknownUserAndAForeignTenantAreForbidden() {
    assertRefused(connect(IThingsApp.params().bearer(login("1790000000000000404"))), 100012, 4003);
    assertRefused(
        connect(IThingsApp.params().bearer(login(USER)).header("ithings-tenant-code", "acme")),
        100012,
        4003);
    // The unknown user is checked where the tenant is: after the token, before the project.
    String expired =
        server.login("1790000000000000404").expiresAt(Instant.now().minusSeconds(60)).sign();
    assertRefused(connect(IThingsApp.params().bearer(expired)), 100002, 4001);
    assertRefused(
        connect(
            IThingsApp.params()
                .bearer(login("1790000000000000404"))
                .header("ithings-project-id", "nope")),
        100012,
        4003);
  }

  @Test
  void theRegistrysAdminFlagCountsNotTheTokens() {
    IThingsApp admin = connect(IThingsApp.params().bearer(login("1790000000000000009")));
    assertAccepted(admin);
    assertThat(admin.subscribe("devicePropertyReport", "{'projectID':'p1'}").path("code").asInt())
        .isEqualTo(200);

    // isAdmin in an i-Things-style token is not taken from the client.
    String claimsAdmin = server.login(USER).sign();
    IThingsApp user = connect(IThingsApp.params().bearer(claimsAdmin));
    assertThat(user.subscribe("devicePropertyReport", "{'projectID':'p1'}").path("code").asInt())
        .isEqualTo(100012);
  }

  @Test
  void aUsersRegistryRowChangesItsOpenConnectionsAtOnce() {
    AdminClient tenantAdmin = new AdminClient(server, server.token("boss").admin().sign());
    AdminClient.ok(
        tenantAdmin.post(
            "/tenants/default/users", "{'userID':'1790000000000000033','isAdmin':true}"),
        201);
    IThingsApp app = connect(IThingsApp.params().bearer(login("1790000000000000033")));
    assertThat(app.subscribe("devicePropertyReport", "{'projectID':'p1'}").path("code").asInt())
        .isEqualTo(200);

    AdminClient.ok(
        tenantAdmin.put("/tenants/default/users/1790000000000000033", "{'isAdmin':false}"), 200);

    assertJson(
        app.next("down.unSubRet"),
        "{'code':100012,'msg':'*','type':'down.unSubRet',"
            + "'body':{'code':'devicePropertyReport','params':{'projectID':'p1'}}}");

    AdminClient.ok(tenantAdmin.delete("/tenants/default/users/1790000000000000033"), 200);

    assertThat(app.closeCode()).isEqualTo(4003);
  }

  @Test
  void appCodeDefaultsToCoreAndMustBeTheTokensAppCode() {
    assertAccepted(connect(IThingsApp.params().bearer(server.login(USER).appCode("core").sign())));
    assertAccepted(
        connect(
            IThingsApp.params()
                .bearer(server.login(USER).appCode("mobile").sign())
                .header("ithings-app-code", "mobile")));
    assertRefused(
        connect(IThingsApp.params().bearer(server.login(USER).appCode("mobile").sign())),
        100012,
        4003);
    assertRefused(
        connect(
            IThingsApp.params()
                .bearer(server.login(USER).appCode("core").sign())
                .query("ithings-app-code", "mobile")),
        100012,
        4003);
  }

  @Test
  void aTokenWithoutExpIsRefused() {
    assertRefused(
        connect(IThingsApp.params().bearer(server.login(USER).expiresAt(null).sign())),
        100005,
        4001);
    assertRefused(
        connect(IThingsApp.params().bearer(server.token("alice").expiresAt(null).sign())),
        100005,
        4001);
  }

  @Test
  void tokensWithoutExpAreTakenWhenConfiguredSo() {
    try (TestServer lenient =
        TestServer.start(c -> c.get("auth").put("allowTokensWithoutExp", true))) {
      IThingsApp app =
          IThingsApp.connect(
              lenient, IThingsApp.params().bearer(lenient.login(USER).expiresAt(null).sign()));
      assertAccepted(app);
    }
  }

  // ---- project ids that mean "no project"

  @Test
  void projectIdZeroIsNoProject() {
    IThingsApp app =
        connect(IThingsApp.params().bearer(login(USER)).header("ithings-project-id", "0"));
    assertAccepted(app);
    // no default project: a project subscription must name one
    assertThat(app.subscribe("devicePropertyReport", "{}").path("code").asInt()).isEqualTo(100006);
    assertRefused(
        connect(IThingsApp.params().bearer(login(USER)).header("ithings-project-id", "1")),
        100009,
        4003);
  }

  @Test
  void anIThingsInstallationListsItsUnclassifiedIds() {
    try (TestServer ithings =
        TestServer.start(
            c ->
                c.put(
                    "connect",
                    new java.util.LinkedHashMap<>(
                        Map.of("noProjectIds", List.of("0", "1", "2")))))) {
      for (String id : List.of("0", "1", "2")) {
        assertAccepted(
            IThingsApp.connect(
                ithings,
                IThingsApp.params()
                    .bearer(ithings.login(USER).sign())
                    .header("ithings-project-id", id)));
      }
      ithings.closeClients();
    }
  }

  // ---- up.setHandle as i-Things sends it

  @Test
  void setHandleInHandlerSwapsTheTokenAndKeepsTheConnectionPastTheOldExpiry() throws Exception {
    Duration life = Duration.ofSeconds(30);
    IThingsApp app =
        connect(
            IThingsApp.params()
                .bearer(server.login(USER).expiresAt(server.clock().instant().plus(life)).sign()));
    assertAccepted(app);
    String fresh = login(USER);

    JsonNode ret = app.setHandle(Map.of("ithings-token", fresh));

    assertJson(
        ret, "{'code':200,'msg':'成功','type':'down.setHandleRet','handler':{'ithings-token':'*'}}");
    server.clock().advance(life.plusMillis(500));
    assertThat(app.isOpen()).as("open past the first token's expiry").isTrue();
    app.send("{'type':'up.ping','body':{'n':1}}");
    assertThat(app.next("down.pong").path("body").path("n").asInt()).isEqualTo(1);
  }

  @Test
  void setHandleSwitchesTheProjectCheckedAsAtConnect() {
    IThingsApp app = connect(IThingsApp.params().bearer(login(USER)));

    assertThat(app.setHandle(Map.of("ithings-project-id", "p2")).path("code").asInt())
        .isEqualTo(200);
    assertThat(app.subscribe("devicePropertyReport", "{}").path("code").asInt())
        .as("p2 by default")
        .isEqualTo(200);
    temp("e1", 1);
    assertThat(app.next("down.pub").path("body").path("device").path("deviceName").asText())
        .isEqualTo("e1");

    // A forbidden switch is refused and keeps the old project and the connection.
    assertThat(app.setHandle(Map.of("project-id", "p1")).path("code").asInt()).isEqualTo(100012);
    assertThat(app.setHandle(Map.of("ithings-project-id", "nope")).path("code").asInt())
        .isEqualTo(100009);
    app.send("{'type':'up.unSub','body':{'code':'devicePropertyReport','params':{}}}");
    assertThat(app.next("down.unSubRet").path("code").asInt()).isEqualTo(200);
    temp("e1", 2);
    app.noneOf("down.pub", QUIET);
    assertThat(app.subscribe("devicePropertyReport", "{}").path("code").asInt())
        .as("still p2")
        .isEqualTo(200);
    temp("e1", 3);
    assertThat(app.next("down.pub").path("body").path("param").asInt()).isEqualTo(3);
  }

  @Test
  void setHandleRefusesAnotherUsersTokenAndATokenRefusedAtConnect() {
    IThingsApp app = connect(IThingsApp.params().bearer(login(USER)));

    assertThat(app.setHandle(Map.of("ithings-token", login(ACME_USER))).path("code").asInt())
        .isEqualTo(100012);
    String mobile = server.login(USER).appCode("mobile").sign();
    assertThat(app.setHandle(Map.of("ithings-token", mobile)).path("code").asInt())
        .as("AppCode not core")
        .isEqualTo(100012);
    assertThat(app.setHandle(Map.of("token", "garbage")).path("code").asInt()).isEqualTo(100004);
    assertThat(app.setHandle(Map.of("other", "x")).path("code").asInt()).isEqualTo(100006);
    assertThat(app.isOpen()).isTrue();
  }

  // ---- a token with fewer rights applies them at once

  @Test
  void anAdminTokenSwappedForAPlainOneEndsWhatItNoLongerAllows() {
    IThingsApp app = connect(IThingsApp.params().bearer(server.token("zed").admin().sign()));
    assertThat(app.subscribe("devicePropertyReport", "{'projectID':'p1'}").path("code").asInt())
        .isEqualTo(200);

    app.send("{'type':'up.setHandle','body':{'token':'" + server.token("zed").sign() + "'}}");

    assertThat(app.next("down.setHandleRet").path("code").asInt()).isEqualTo(200);
    assertJson(
        app.next("down.unSubRet"),
        "{'code':100012,'msg':'*','type':'down.unSubRet',"
            + "'body':{'code':'devicePropertyReport','params':{'projectID':'p1'}}}");
    temp("d1", 5);
    app.noneOf("down.pub", QUIET);
  }

  @Test
  void aTokenWhoseAppCodesExcludeTheConnectionsAppIsRefusedAndTheOldOneStays() {
    IThingsApp app =
        connect(
            IThingsApp.params()
                .bearer(server.token("alice").sign())
                .header("ithings-app-code", "dashboard"));
    assertThat(app.subscribe("devicePropertyReport", "{'projectID':'p1'}").path("code").asInt())
        .isEqualTo(200);

    JsonNode ret = app.setHandle(Map.of("token", server.token("alice").appCodes("mobile").sign()));

    assertThat(ret.path("code").asInt()).isEqualTo(100012);
    temp("d1", 6);
    assertThat(app.next("down.pub").path("body").path("param").asInt())
        .as("the old token holds")
        .isEqualTo(6);
  }
}
