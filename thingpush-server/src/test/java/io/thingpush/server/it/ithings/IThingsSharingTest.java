package io.thingpush.server.it.ithings;

import static io.thingpush.server.it.AdminClient.ok;
import static io.thingpush.server.it.Jsons.assertJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.IThingsApp;
import io.thingpush.server.it.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared devices as an i-Things front end sees them: {@code {shareDevice: true}} follows the
 * user's device grants live while the subscription stays, a shared device is readable wherever
 * it is, and an action report is matched by its actionID as {@code identifier} (SPEC §2, §5, §9).
 * Each test has a registry user of its own, whose grants it changes through the admin API.
 */
class IThingsSharingTest {
  private static final Duration QUIET = Duration.ofMillis(300);

  @RegisterExtension static final TestServer server = TestServer.forClass();
  private static AdminClient admin;
  private static int users;

  @BeforeAll
  static void start() {
    admin = new AdminClient(server, server.token("boss").admin().sign());
  }

  /** A new registry user of tenant default without any grant; its i-Things app connected. */
  private static String newUser() {
    String user = "17900000000000005" + String.format("%02d", ++users);
    ok(admin.post("/tenants/default/users", "{'userID':'" + user + "'}"), 201);
    return user;
  }

  private static IThingsApp app(String user, String projectId) {
    IThingsApp.Params params = IThingsApp.params().bearer(server.login(user).sign());
    if (projectId != null) {
      params.header("ithings-project-id", projectId);
    }
    IThingsApp app = IThingsApp.connect(server, params);
    assertThat(app.accepted()).as("%s", app.hello()).isTrue();
    return app;
  }

  private static void share(String user, String device) {
    ok(
        admin.post(
            "/tenants/default/device-grants",
            "{'userID':'" + user + "','productID':'prodA','deviceName':'" + device + "'}"),
        201);
  }

  private static void unshare(String user, String device) {
    ok(
        admin.delete(
            "/tenants/default/device-grants?userID="
                + user
                + "&productID=prodA&deviceName="
                + device),
        200);
  }

  private static long temp(String device, int value) {
    return server.publish(
        "devicePropertyReport",
        "prodA",
        device,
        "{\"identifier\":\"temp\",\"param\":" + value + "}");
  }

  /** The device names of the pushes that arrive within a short quiet time. */
  private static List<String> pushedDevices(IThingsApp app, int expected) {
    List<String> devices = new ArrayList<>();
    for (int i = 0; i < expected; i++) {
      devices.add(app.next("down.pub").path("body").path("device").path("deviceName").asText());
    }
    app.noneOf("down.pub", QUIET);
    return devices;
  }

  @Test
  void shareDeviceFollowsTheSharesLiveAndTheSubscriptionStays() {
    String user = newUser();
    share(user, "d1");
    IThingsApp app = app(user, null);

    JsonNode ret = app.subscribe("devicePropertyReport", "{'shareDevice':true}");
    assertJson(ret, "{'code':200,'msg':'成功','type':'down.subRet','seq':'*'}");
    temp("d1", 1);
    temp("d2", 2);
    assertThat(pushedDevices(app, 1)).containsExactly("d1");

    // Shared while subscribed: pushed from its next event on, in another project too.
    share(user, "e1");
    temp("e1", 3);
    temp("d1", 4);
    assertThat(pushedDevices(app, 2)).containsExactly("e1", "d1");

    // Unshared: dropped at once, the subscription stays for the others.
    unshare(user, "d1");
    temp("d1", 5);
    temp("e1", 6);
    assertThat(pushedDevices(app, 1)).containsExactly("e1");
    app.noneOf("down.unSubRet", Duration.ZERO);

    app.send(
        "{'type':'up.unSub','body':{'code':'devicePropertyReport','params':{'shareDevice':true}}}");
    assertThat(app.next("down.unSubRet").path("code").asInt()).isEqualTo(200);
    temp("e1", 7);
    app.noneOf("down.pub", QUIET);
  }

  @Test
  void aSharedDeviceIsReadableAndItsProjectVisible() {
    String user = newUser();
    share(user, "d3");
    IThingsApp app = app(user, "p1");

    assertThat(
            app.subscribe("deviceConn", "{'productID':'prodA','deviceName':'d3'}")
                .path("code")
                .asInt())
        .isEqualTo(200);
    assertThat(
            app.subscribe("deviceConn", "{'productID':'prodA','deviceName':'d2'}")
                .path("code")
                .asInt())
        .as("not shared")
        .isEqualTo(100012);
    assertThat(app.subscribe("deviceConn", "{}").path("code").asInt())
        .as("the share reads the device, not p1")
        .isEqualTo(100012);
  }

  @Test
  void aDeviceSubscriptionOnlyTheShareAllowedEndsWhenItIsUnshared() {
    String user = newUser();
    share(user, "d4");
    IThingsApp app = app(user, null);
    assertThat(
            app.subscribe(
                    "devicePropertyReport",
                    "{'productID':'prodA','deviceName':'d4','identifier':'temp'}")
                .path("code")
                .asInt())
        .isEqualTo(200);

    unshare(user, "d4");

    assertJson(
        app.next("down.unSubRet"),
        "{'code':100012,'msg':'*','type':'down.unSubRet','body':"
            + "{'code':'devicePropertyReport','params':{'productID':'prodA','deviceName':'d4','identifier':'temp'}}}");
  }

  @Test
  void aShareSubscriptionResumesWithSinceAndTakesASnapshot() {
    String user = newUser();
    share(user, "k01");
    share(user, "k02");
    long first = temp("k01", 10);
    temp("k03", 11);
    long last = temp("k02", 12);
    IThingsApp app = app(user, null);

    app.send(
        "{'type':'up.sub','body':{'code':'devicePropertyReport','params':{'shareDevice':true},'since':"
            + (first - 1)
            + "}}");
    assertThat(app.next("down.subRet").path("recovered").asBoolean()).isTrue();
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      seqs.add(app.next("down.pub").path("seq").asLong());
    }
    assertThat(seqs).as("the shared devices' events, in order").containsExactly(first, last);

    app.send(
        "{'type':'up.sub','body':{'code':'devicePropertyReportV2','params':{'shareDevice':true},"
            + "'snapshot':true}}");
    app.next("down.subRet");
    List<String> snapshot =
        List.of(
            app.next("down.pub").path("body").path("device").path("deviceName").asText(),
            app.next("down.pub").path("body").path("device").path("deviceName").asText());
    assertThat(snapshot).containsExactlyInAnyOrder("k01", "k02");
  }

  @Test
  void anActionReportIsMatchedByItsActionIdAsIdentifier() {
    IThingsApp app =
        IThingsApp.connect(
            server, IThingsApp.params().bearer(server.login("1790000000000000001").sign()));
    assertThat(
            app.subscribe(
                    "deviceActionReport",
                    "{'productID':'prodA','deviceName':'e1','identifier':'reboot'}")
                .path("code")
                .asInt())
        .isEqualTo(200);
    String report = "{\"actionID\":\"%s\",\"dir\":\"down\",\"reqType\":\"req\",\"params\":{}}";

    server.publish("deviceActionReport", "prodA", "e1", report.formatted("blink"));
    long reboot = server.publish("deviceActionReport", "prodA", "e1", report.formatted("reboot"));

    JsonNode push = app.next("down.pub");
    assertThat(push.path("seq").asLong()).isEqualTo(reboot);
    assertThat(push.path("body").path("actionID").asText()).isEqualTo("reboot");
    app.noneOf("down.pub", QUIET);
  }
}
