package io.thingpush.server.it.ws;

import static io.thingpush.client.testkit.TestConnections.awaitFrame;
import static io.thingpush.client.testkit.TestConnections.sendBinary;
import static io.thingpush.client.testkit.TestConnections.sendFragments;
import static io.thingpush.client.testkit.TestConnections.sendText;
import static io.thingpush.server.it.Jsons.assertChinese;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.json;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.Connection;
import io.thingpush.server.it.RawWebSocket;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §2: frame types and replies, handler echo, down.error, the size limit. */
class FramesTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  // ---- replies

  @Test
  void pingIsAnsweredWithAPongEchoingTheBody() {
    Connection c = server.connectAs("alice");
    String body = "{'a':[1,'x',{'b':null}],'n':-2.5,'t':true}";

    assertJson(
        join(c.request("up.ping", json(body), Map.of("reqID", "p-1"))),
        "{'code':200,'msg':'成功','type':'down.pong','handler':{'reqID':'p-1'},'body':" + body + "}");
    assertJson(
        join(c.request("up.ping", json("'hi'"), Map.of("reqID", "p-2"))),
        "{'code':200,'msg':'成功','type':'down.pong','handler':{'reqID':'p-2'},'body':'hi'}");
    assertJson(
        join(c.request("up.ping", json("7"), Map.of("reqID", "p-3"))),
        "{'code':200,'msg':'成功','type':'down.pong','handler':{'reqID':'p-3'},'body':7}");
  }

  @Test
  void everyReplyEchoesTheHandler() {
    Connection c = server.connectAs("alice");
    Map<String, String> handler = Map.of("reqID", "r-1", "any", "string", "中文", "值");
    String echo = "{'reqID':'r-1','any':'string','中文':'值'}";
    JsonNode sub = json("{'code':'deviceConn','params':{'productID':'prodA','deviceName':'k01'}}");

    assertJson(
        join(c.request("up.sub", sub, handler)),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':" + echo + "}");
    assertJson(
        join(c.request("up.unSub", sub, handler)),
        "{'code':200,'msg':'成功','type':'down.unSubRet','handler':" + echo + "}");
    assertJson(
        join(
            c.request(
                "up.setHandle", json("{'token':'" + server.tokenOf("alice") + "'}"), handler)),
        "{'code':200,'msg':'成功','type':'down.setHandleRet','handler':" + echo + "}");
    assertJson(
        join(
            c.request(
                "up.sub", json("{'code':'deviceConn','params':{'projectID':'nope'}}"), handler)),
        "{'code':100009,'msg':'*','type':'down.subRet','handler':" + echo + "}");
    assertJson(
        join(c.request("up.nope", json("{}"), handler)),
        "{'code':100013,'msg':'*','type':'down.error','handler':" + echo + "}");
  }

  @Test
  void aReplyToARequestWithoutHandlerHasNoHandler() {
    Connection c = server.connectAs("alice");

    JsonNode pong = Waits.nextFrameAfter(c, () -> sendText(c, "{\"type\":\"up.ping\",\"body\":1}"));
    JsonNode subRet =
        Waits.nextFrameAfter(
            c,
            () ->
                sendText(
                    c,
                    "{\"type\":\"up.sub\",\"body\":{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p2\"}}}"));

    assertJson(pong, "{'code':200,'msg':'成功','type':'down.pong','body':1}");
    assertJson(subRet, "{'code':200,'msg':'成功','type':'down.subRet','seq':'*'}");
  }

  @Test
  void listenersSeeEveryFrameAndTheFramesThatAnswerNoRequest() {
    Connection c = server.connectAs("alice");
    List<JsonNode> all = new CopyOnWriteArrayList<>();
    List<JsonNode> unsolicited = new CopyOnWriteArrayList<>();
    c.onFrame(all::add);
    c.onUnsolicited(unsolicited::add);

    JsonNode pong = join(c.ping(json("1")));
    sendText(c, "[]");

    JsonNode error =
        awaitFrame(c, f -> "down.error".equals(f.path("type").textValue()), TestServer.WAIT);
    Waits.await().until(() -> unsolicited.size() == 1);
    assertThat(all).containsExactly(pong, error);
    assertThat(unsolicited).containsExactly(error);
  }

  // ---- down.error

  static Stream<Arguments> badMessages() {
    return Stream.of(
        Arguments.of("not JSON", "hello", "{'code':100006,'msg':'*','type':'down.error'}"),
        Arguments.of(
            "truncated JSON",
            "{\"type\":\"up.ping\"",
            "{'code':100006,'msg':'*','type':'down.error'}"),
        Arguments.of("a JSON array", "[1,2]", "{'code':100006,'msg':'*','type':'down.error'}"),
        Arguments.of("a JSON number", "42", "{'code':100006,'msg':'*','type':'down.error'}"),
        Arguments.of(
            "a JSON string", "\"up.ping\"", "{'code':100006,'msg':'*','type':'down.error'}"),
        Arguments.of("JSON null", "null", "{'code':100006,'msg':'*','type':'down.error'}"),
        Arguments.of("no type", "{\"body\":{}}", "{'code':100006,'msg':'*','type':'down.error'}"),
        Arguments.of(
            "no type, with handler",
            "{\"handler\":{\"reqID\":\"e-1\"},\"body\":{}}",
            "{'code':100006,'msg':'*','type':'down.error','handler':{'reqID':'e-1'}}"),
        Arguments.of(
            "a number type",
            "{\"type\":5,\"handler\":{\"reqID\":\"e-2\"}}",
            "{'code':100006,'msg':'*','type':'down.error','handler':{'reqID':'e-2'}}"),
        Arguments.of(
            "an object type",
            "{\"type\":{\"up\":\"sub\"},\"handler\":{\"reqID\":\"e-3\"}}",
            "{'code':100006,'msg':'*','type':'down.error','handler':{'reqID':'e-3'}}"),
        Arguments.of(
            "a null type",
            "{\"type\":null,\"handler\":{\"reqID\":\"e-4\"}}",
            "{'code':100006,'msg':'*','type':'down.error','handler':{'reqID':'e-4'}}"),
        Arguments.of(
            "an unknown type",
            "{\"type\":\"up.nope\",\"handler\":{\"reqID\":\"e-5\"}}",
            "{'code':100013,'msg':'*','type':'down.error','handler':{'reqID':'e-5'}}"),
        Arguments.of(
            "a down type sent up",
            "{\"type\":\"down.pub\",\"handler\":{\"reqID\":\"e-6\"}}",
            "{'code':100013,'msg':'*','type':'down.error','handler':{'reqID':'e-6'}}"),
        Arguments.of(
            "a type in the wrong case",
            "{\"type\":\"UP.PING\"}",
            "{'code':100013,'msg':'*','type':'down.error'}"),
        Arguments.of(
            "an empty type", "{\"type\":\"\"}", "{'code':100013,'msg':'*','type':'down.error'}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMessages")
  void aBadMessageGetsDownErrorAndTheConnectionStaysOpen(String what, String raw, String expected) {
    Connection c = server.connectAs("alice");

    JsonNode error = Waits.nextFrameAfter(c, () -> sendText(c, raw));

    assertJson(error, expected);
    assertChinese(error);
    assertStillServed(c);
  }

  @Test
  void aBinaryMessageGetsDownError() {
    Connection c = server.connectAs("alice");

    JsonNode error =
        Waits.nextFrameAfter(
            c,
            () ->
                sendBinary(
                    c, "{\"type\":\"up.ping\",\"body\":1}".getBytes(StandardCharsets.UTF_8)));

    assertJson(error, "{'code':100006,'msg':'*','type':'down.error'}");
    assertStillServed(c);
  }

  @Test
  void manyBadMessagesInARowNeverCloseTheConnection() {
    Connection c = server.connectAs("alice");

    for (int i = 0; i < 20; i++) {
      JsonNode error = Waits.nextFrameAfter(c, () -> sendText(c, "[]"));
      assertJson(error, "{'code':100006,'msg':'*','type':'down.error'}");
    }
    assertStillServed(c);
  }

  /**
   * SPEC §2 says a bad message never closes the connection (only the size limit does), so a
   * text frame that is not UTF-8 is answered like any other message that is not JSON
   * (RFC 6455 would allow closing with 1007; the SPEC rules it out).
   */
  @Test
  void aTextFrameThatIsNotUtf8GetsDownError() {
    RawWebSocket raw =
        server.raw(
            server.connectUri("token=" + server.tokenOf("alice") + "&app-code=it"), Map.of(), true);
    assertJson(raw.awaitJson(TestServer.WAIT), "{'code':200,'msg':'成功','handler':'*'}");

    raw.sendTextBytes(new byte[] {'{', '"', 't', '"', ':', (byte) 0xff, (byte) 0xfe, '}'});

    JsonNode error = raw.awaitJson(TestServer.WAIT);
    assertThat(error).as("reply to a text frame that is not UTF-8").isNotNull();
    assertJson(error, "{'code':100006,'msg':'*','type':'down.error'}");
    raw.sendText("{\"type\":\"up.ping\",\"body\":2}");
    assertJson(
        raw.awaitJson(TestServer.WAIT), "{'code':200,'msg':'成功','type':'down.pong','body':2}");
  }

  // ---- size limit (64 KiB in this config)

  @Test
  void aMessageOverTheSizeLimitClosesWith1009() {
    Connection c = server.connectAs("alice");

    sendText(c, pingWithPadding(70_000));

    CloseStatus closed = join(c.closed());
    assertThat(closed.code()).isEqualTo(1009);
    assertThat(closed.reason()).matches("[\\x20-\\x7e]{0,123}");
  }

  @Test
  void aFragmentedMessageOverTheLimitClosesWith1009EvenWhenEachFrameIsUnder() {
    Connection c = server.connectAs("alice");
    String whole = pingWithPadding(90_000);

    sendFragments(
        c, whole.substring(0, 30_000), whole.substring(30_000, 60_000), whole.substring(60_000));

    assertThat(join(c.closed()).code()).isEqualTo(1009);
  }

  @Test
  void aMessageUnderTheLimitIsServedWhetherFragmentedOrNot() {
    Connection c = server.connectAs("alice");
    String whole = pingWithPadding(60_000);
    String padding = "x".repeat(60_000 - pingWithPadding(0).length());

    JsonNode pong = Waits.nextFrameAfter(c, () -> sendText(c, whole));
    JsonNode pong2 =
        Waits.nextFrameAfter(
            c,
            () ->
                sendFragments(
                    c,
                    whole.substring(0, 10),
                    whole.substring(10, 30_000),
                    whole.substring(30_000)));

    assertJson(pong, "{'code':200,'msg':'成功','type':'down.pong','body':'" + padding + "'}");
    assertJson(pong2, "{'code':200,'msg':'成功','type':'down.pong','body':'" + padding + "'}");
  }

  /** An {@code up.ping} (no handler) of exactly {@code size} bytes, at least its frame. */
  private static String pingWithPadding(int size) {
    String head = "{\"type\":\"up.ping\",\"body\":\"";
    String tail = "\"}";
    return head + "x".repeat(Math.max(0, size - head.length() - tail.length())) + tail;
  }

  private static void assertStillServed(Connection c) {
    assertThat(c.isOpen()).isTrue();
    assertJson(
        join(c.subscribe("deviceConn", params("projectID", "p2"))),
        "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}");
  }
}
