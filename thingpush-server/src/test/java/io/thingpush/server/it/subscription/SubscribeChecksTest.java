package io.thingpush.server.it.subscription;

import static io.thingpush.server.it.Jsons.assertChinese;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.json;
import static io.thingpush.server.it.TestServer.join;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.server.it.TestServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §2: the checks of {@code up.sub} in their order — unknown code 100018, malformed
 * 100006, not found in the user's tenant 100009, not readable 100012 — and of {@code up.unSub}.
 */
class SubscribeChecksTest {
  private static final String D1 = "'productID':'prodA','deviceName':'d1'";
  @RegisterExtension static final TestServer server = TestServer.forClass();

  static Stream<Arguments> refusedBodies() {
    return Stream.of(
        // 100018: a code string that is not one of the six, whatever else is wrong
        row("unknown code", "{'code':'nope','params':{" + D1 + "}}", 100018),
        row("unknown code with bad params", "{'code':'nope','params':{'color':1.5}}", 100018),
        row("unknown code without params", "{'code':'nope'}", 100018),
        row("code in the wrong case", "{'code':'DEVICECONN','params':{" + D1 + "}}", 100018),
        row("empty code", "{'code':'','params':{" + D1 + "}}", 100018),
        // 100006: the form of body and params
        row("no body", null, 100006),
        row("body a string", "'deviceConn'", 100006),
        row("body an array", "[]", 100006),
        row("no code", "{'params':{" + D1 + "}}", 100006),
        row("code a number", "{'code':5,'params':{" + D1 + "}}", 100006),
        row("code null", "{'code':null,'params':{" + D1 + "}}", 100006),
        row("no params", "{'code':'deviceConn'}", 100006),
        row("params a string", "{'code':'deviceConn','params':'p1'}", 100006),
        row(
            "params empty (no project-id on the connection)",
            "{'code':'deviceConn','params':{}}",
            100006),
        row("unknown body key", "{'code':'deviceConn','params':{" + D1 + "},'extra':1}", 100006),
        row("missing deviceName", "{'code':'deviceConn','params':{'productID':'prodA'}}", 100006),
        row(
            "missing productID",
            "{'code':'devicePropertyReport','params':{'deviceName':'d1','identifier':'temp'}}",
            100006),
        row("areaID without projectID", "{'code':'deviceConn','params':{'areaID':'a1'}}", 100006),
        row(
            "unknown params key",
            "{'code':'deviceConn','params':{" + D1 + ",'color':'red'}}",
            100006),
        row(
            "unknown params key with a project",
            "{'code':'deviceConn','params':{'projectID':'p1','foo':'x'}}",
            100006),
        row(
            "mixed: device and project",
            "{'code':'deviceConn','params':{" + D1 + ",'projectID':'p1'}}",
            100006),
        row(
            "mixed: area and device",
            "{'code':'deviceConn','params':{'projectID':'p1','areaID':'a1','deviceName':'d1'}}",
            100006),
        row(
            "mixed: device and area",
            "{'code':'deviceConn','params':{" + D1 + ",'areaID':'a1'}}",
            100006),
        row(
            "mixed: project and identifier",
            "{'code':'devicePropertyReport','params':{'projectID':'p1','identifier':'temp'}}",
            100006),
        row(
            "empty productID",
            "{'code':'deviceConn','params':{'productID':'','deviceName':'d1'}}",
            100006),
        row("empty projectID", "{'code':'deviceConn','params':{'projectID':''}}", 100006),
        row(
            "empty areaID",
            "{'code':'deviceConn','params':{'projectID':'p1','areaID':''}}",
            100006),
        row(
            "empty identifier",
            "{'code':'devicePropertyReport','params':{" + D1 + ",'identifier':''}}",
            100006),
        row("float value", "{'code':'deviceConn','params':{'projectID':1.5}}", 100006),
        row(
            "bool value",
            "{'code':'deviceConn','params':{'productID':'prodA','deviceName':true}}",
            100006),
        row(
            "object value",
            "{'code':'deviceConn','params':{'productID':{},'deviceName':'d1'}}",
            100006),
        row("array value", "{'code':'deviceConn','params':{'projectID':['p1']}}", 100006),
        row("null value", "{'code':'deviceConn','params':{'projectID':null}}", 100006),
        row(
            "identifier on deviceConn",
            "{'code':'deviceConn','params':{" + D1 + ",'identifier':'temp'}}",
            100006),
        row(
            "identifier on devicePublish",
            "{'code':'devicePublish','params':{" + D1 + ",'identifier':'temp'}}",
            100006),
        row("shareDevice false", "{'code':'deviceConn','params':{'shareDevice':false}}", 100006),
        row(
            "shareDevice with a device",
            "{'code':'deviceConn','params':{" + D1 + ",'shareDevice':true}}",
            100006),
        row(
            "identifier on deviceOtaReport",
            "{'code':'deviceOtaReport','params':{" + D1 + ",'identifier':'temp'}}",
            100006),
        row(
            "snapshot on deviceActionReport",
            "{'code':'deviceActionReport','params':{" + D1 + "},'snapshot':true}",
            100006),
        row(
            "snapshot false on devicePublish",
            "{'code':'devicePublish','params':{" + D1 + "},'snapshot':false}",
            100006),
        row(
            "throttleMs on deviceOtaReport",
            "{'code':'deviceOtaReport','params':{" + D1 + "},'throttleMs':100}",
            100006),
        row(
            "snapshot a string",
            "{'code':'devicePropertyReport','params':{" + D1 + "},'snapshot':'yes'}",
            100006),
        row(
            "snapshot a number",
            "{'code':'devicePropertyReport','params':{" + D1 + "},'snapshot':1}",
            100006),
        row(
            "throttleMs a string",
            "{'code':'devicePropertyReport','params':{" + D1 + "},'throttleMs':'100'}",
            100006),
        row(
            "throttleMs a float",
            "{'code':'devicePropertyReport','params':{" + D1 + "},'throttleMs':1.5}",
            100006),
        row(
            "throttleMs negative",
            "{'code':'devicePropertyReportV2','params':{" + D1 + "},'throttleMs':-1}",
            100006),
        row("since negative", "{'code':'deviceConn','params':{" + D1 + "},'since':-1}", 100006),
        row("since a string", "{'code':'deviceConn','params':{" + D1 + "},'since':'5'}", 100006),
        row("since a bool", "{'code':'deviceConn','params':{" + D1 + "},'since':true}", 100006),
        row(
            "malformed and unknown",
            "{'code':'deviceConn','params':{'productID':'prodA','deviceName':'nope','x':'y'}}",
            100006),
        row(
            "malformed and another tenant's",
            "{'code':'deviceConn','params':{'projectID':'px','foo':'x'}}",
            100006),
        // 100009: not found in the user's tenant
        row(
            "unknown device",
            "{'code':'deviceConn','params':{'productID':'prodA','deviceName':'nope'}}",
            100009),
        row(
            "unknown product",
            "{'code':'deviceConn','params':{'productID':'nope','deviceName':'d1'}}",
            100009),
        row("unknown project", "{'code':'deviceConn','params':{'projectID':'nope'}}", 100009),
        row(
            "project as an integer, not found",
            "{'code':'deviceConn','params':{'projectID':12}}",
            100009),
        row(
            "unknown area",
            "{'code':'deviceConn','params':{'projectID':'p1','areaID':'nope'}}",
            100009),
        row(
            "area of another project",
            "{'code':'deviceConn','params':{'projectID':'p1','areaID':'m1'}}",
            100009),
        row(
            "unknown device of a property",
            "{'code':'devicePropertyReport','params':{'productID':'prodA','deviceName':'nope','identifier':'temp'}}",
            100009));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedBodies")
  void aRefusedSubscribeAnswersItsCode(String what, String body, int code) {
    Connection c = server.connectAs("alice");

    JsonNode reply = join(c.request("up.sub", body == null ? null : json(body), null));

    assertJson(reply, "{'code':" + code + ",'msg':'*','type':'down.subRet','handler':'*'}");
    assertChinese(reply);
  }

  static Stream<Arguments> acceptedBodies() {
    return Stream.of(
        row("since 0", "{'code':'deviceConn','params':{" + D1 + "},'since':0}", 200),
        row(
            "snapshot false",
            "{'code':'devicePropertyReport','params':{" + D1 + "},'snapshot':false}",
            200),
        row(
            "throttleMs 0",
            "{'code':'devicePropertyReportV2','params':{" + D1 + "},'throttleMs':0}",
            200),
        row(
            "throttleMs 100",
            "{'code':'devicePropertyReport','params':{"
                + D1
                + ",'identifier':'temp'},'throttleMs':100}",
            200),
        row(
            "an integer deviceName",
            "{'code':'deviceConn','params':{'productID':'prodA','deviceName':1001}}",
            200));
  }

  /** Options of the right type on the codes they apply to are accepted (replies may add keys). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedBodies")
  void wellFormedOptionsAreAccepted(String what, String body, int code) {
    Connection c = server.connectAs("alice");

    JsonNode reply = join(c.subscribe(json(body)));

    assertJson(reply.get("code"), String.valueOf(code));
    assertJson(reply.get("type"), "'down.subRet'");
  }

  @Test
  void notFoundComesBeforeForbidden() {
    Connection c = server.connectAs("dave");

    assertJson(
        join(
            c.subscribe(json("{'code':'deviceConn','params':{'projectID':'p1','areaID':'nope'}}"))),
        "{'code':100009,'msg':'*','type':'down.subRet','handler':'*'}");
    assertJson(
        join(
            c.subscribe(
                json("{'code':'deviceConn','params':{'productID':'prodA','deviceName':'nope'}}"))),
        "{'code':100009,'msg':'*','type':'down.subRet','handler':'*'}");
    assertJson(
        join(c.subscribe(json("{'code':'deviceConn','params':{'projectID':'p1','areaID':'a1'}}"))),
        "{'code':100012,'msg':'*','type':'down.subRet','handler':'*'}");
    assertJson(
        join(c.subscribe(json("{'code':'deviceConn','params':{" + D1 + "}}"))),
        "{'code':100012,'msg':'*','type':'down.subRet','handler':'*'}");
  }

  @Test
  void malformedComesBeforeForbidden() {
    Connection c = server.connectAs("dave");

    assertJson(
        join(c.subscribe(json("{'code':'deviceConn','params':{" + D1 + ",'identifier':'temp'}}"))),
        "{'code':100006,'msg':'*','type':'down.subRet','handler':'*'}");
    assertJson(
        join(c.subscribe(json("{'code':'nope','params':{" + D1 + "}}"))),
        "{'code':100018,'msg':'*','type':'down.subRet','handler':'*'}");
  }

  @Test
  void aMalformedUnsubAnswers100018Or100006() {
    Connection c = server.connectAs("alice");

    assertJson(
        join(c.unsubscribe(json("{'code':'nope','params':{" + D1 + "}}"))),
        "{'code':100018,'msg':'*','type':'down.unSubRet','handler':'*'}");
    assertJson(
        join(c.unsubscribe(json("{'code':'deviceConn','params':{'color':'red'}}"))),
        "{'code':100006,'msg':'*','type':'down.unSubRet','handler':'*'}");
    assertJson(
        join(
            c.unsubscribe(json("{'code':'deviceConn','params':{" + D1 + ",'identifier':'temp'}}"))),
        "{'code':100006,'msg':'*','type':'down.unSubRet','handler':'*'}");
    assertJson(
        join(c.request("up.unSub", null, null)),
        "{'code':100006,'msg':'*','type':'down.unSubRet','handler':'*'}");
  }

  private static Arguments row(String what, String body, int code) {
    return Arguments.of(what, body, code);
  }
}
