package io.thingpush.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The exact text of every server → client frame (SPEC §1, §2). */
class FramesTest {

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  private static JsonNode json(String text) {
    return Json.parseOrNull(text);
  }

  @Test
  void connectFrameIsExactlyTheIThingsOne() {
    byte[] frame = Frames.connected(Lang.ZH, "5a21080b0d1d20a372cb9a1c61e19321", "29");

    assertThat(text(frame))
        .isEqualTo(
            "{\"code\":200,\"msg\":\"成功\",\"handler\":{\"Traceparent\":\"5a21080b0d1d20a372cb9a1c61e19321\","
                + "\"connectID\":\"29\"}}");
  }

  @Test
  void connectFrameIsUtf8Encoded() {
    byte[] frame = Frames.connected(Lang.ZH, "5a21080b0d1d20a372cb9a1c61e19321", "29");

    assertThat(frame)
        .isEqualTo(
            ("{\"code\":200,\"msg\":\"成功\",\"handler\":{\"Traceparent\":\"5a21080b0d1d20a372cb9a1c61e19321\","
                    + "\"connectID\":\"29\"}}")
                .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void connectFrameInEnglish() {
    byte[] frame = Frames.connected(Lang.EN, "5a21080b0d1d20a372cb9a1c61e19321", "1000000007");

    assertThat(text(frame))
        .isEqualTo(
            "{\"code\":200,\"msg\":\"success\",\"handler\":{\"Traceparent\":\"5a21080b0d1d20a372cb9a1c61e19321\","
                + "\"connectID\":\"1000000007\"}}");
  }

  @Test
  void refusedConnectionFrameHasCodeAndReasonOnly() {
    byte[] zh =
        Frames.refused(Lang.ZH, new ThingPushException(ErrorCode.TOKEN_INVALID, "token missing"));
    byte[] en =
        Frames.refused(Lang.EN, new ThingPushException(ErrorCode.TOKEN_EXPIRED, "exp passed"));

    assertThat(text(zh)).isEqualTo("{\"code\":100005,\"msg\":\"token无效: token missing\"}");
    assertThat(text(en)).isEqualTo("{\"code\":100002,\"msg\":\"token expired: exp passed\"}");
  }

  @Test
  void okReplyWithoutHandler() {
    ObjectNode reply = Frames.ok(Frames.DOWN_SUB_RET, Lang.ZH, null);

    assertThat(Json.text(reply))
        .isEqualTo("{\"code\":200,\"msg\":\"成功\",\"type\":\"down.subRet\"}");
  }

  @Test
  void okReplyEchoesTheHandler() {
    ObjectNode reply =
        Frames.ok(Frames.DOWN_UNSUB_RET, Lang.ZH, json("{\"reqId\":\"42\",\"page\":\"dash\"}"));

    assertThat(Json.text(reply))
        .isEqualTo(
            "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.unSubRet\","
                + "\"handler\":{\"reqId\":\"42\",\"page\":\"dash\"}}");
  }

  @Test
  void okReplyInEnglish() {
    ObjectNode reply = Frames.ok(Frames.DOWN_SET_HANDLE_RET, Lang.EN, null);

    assertThat(Json.text(reply))
        .isEqualTo("{\"code\":200,\"msg\":\"success\",\"type\":\"down.setHandleRet\"}");
  }

  @Test
  void failureReplyCarriesTheErrorCodeAndAMessageSayingWhy() {
    ThingPushException e = new ThingPushException(ErrorCode.PARAMETER, "unknown key body.replay");

    assertThat(Json.text(Frames.failure(Frames.DOWN_SUB_RET, Lang.ZH, e, null)))
        .isEqualTo(
            "{\"code\":100006,\"msg\":\"参数错误: unknown key body.replay\",\"type\":\"down.subRet\"}");
    assertThat(Json.text(Frames.failure(Frames.DOWN_SUB_RET, Lang.EN, e, json("{\"id\":\"7\"}"))))
        .isEqualTo(
            "{\"code\":100006,\"msg\":\"parameter error: unknown key body.replay\",\"type\":\"down.subRet\","
                + "\"handler\":{\"id\":\"7\"}}");
  }

  @Test
  void errorFrameForARateLimitEchoesTheHandler() {
    ThingPushException e = new ThingPushException(ErrorCode.LIMIT, "too many messages per second");

    assertThat(Json.text(Frames.failure(Frames.DOWN_ERROR, Lang.EN, e, json("{\"id\":\"9\"}"))))
        .isEqualTo(
            "{\"code\":100027,\"msg\":\"limit reached: too many messages per second\",\"type\":\"down.error\","
                + "\"handler\":{\"id\":\"9\"}}");
  }

  @Test
  void pongEchoesTheBody() {
    ObjectNode pong = Frames.ok(Frames.DOWN_PONG, Lang.ZH, null);
    pong.set("body", json("{\"t\":1717000000000,\"note\":\"hi\"}"));

    assertThat(Json.text(pong))
        .isEqualTo(
            "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.pong\",\"body\":{\"t\":1717000000000,\"note\":\"hi\"}}");
  }

  @Test
  void pubFrame() {
    JsonNode body =
        json(
            "{\"device\":{\"productID\":\"k0sr6A5BMbN\",\"deviceName\":\"cB05016F7\"},"
                + "\"timestamp\":\"1716999999000\",\"identifier\":\"temp\",\"param\":23.5}");

    assertThat(text(Frames.pub(Lang.ZH, "devicePropertyReport", 1234567890123L, body)))
        .isEqualTo(
            "{\"code\":200,\"msg\":\"成功\",\"type\":\"down.pub\",\"path\":\"devicePropertyReport\","
                + "\"seq\":1234567890123,\"body\":{\"device\":{\"productID\":\"k0sr6A5BMbN\","
                + "\"deviceName\":\"cB05016F7\"},\"timestamp\":\"1716999999000\",\"identifier\":\"temp\","
                + "\"param\":23.5}}");
  }

  @Test
  void pubFrameInEnglish() {
    JsonNode body =
        json(
            "{\"device\":{\"productID\":\"k0\",\"deviceName\":\"d1\"},\"timestamp\":\"1\",\"status\":2}");

    assertThat(text(Frames.pub(Lang.EN, "deviceConn", 7, body)))
        .isEqualTo(
            "{\"code\":200,\"msg\":\"success\",\"type\":\"down.pub\",\"path\":\"deviceConn\",\"seq\":7,"
                + "\"body\":{\"device\":{\"productID\":\"k0\",\"deviceName\":\"d1\"},\"timestamp\":\"1\","
                + "\"status\":2}}");
  }

  @Test
  void pubFrameIsTheWholeTreeEncoded() {
    JsonNode body =
        json(
            "{\"device\":{\"productID\":\"p\\\"1\",\"deviceName\":\"温度计\"},"
                + "\"params\":{\"t\":-0.5,\"s\":\"a\\\\b\\n\\u0001\",\"n\":null,\"l\":[1,true,{}]}}");
    for (Lang lang : Lang.values()) {
      for (long seq : new long[] {0, 9, 10, Long.MAX_VALUE}) {
        ObjectNode whole = Json.object();
        whole.put("code", 200).put("msg", ErrorCode.OK.message(lang, null));
        whole.put("type", Frames.DOWN_PUB).put("path", "devicePropertyReportV2").put("seq", seq);
        whole.set("body", body);

        assertThat(Frames.pub(lang, "devicePropertyReportV2", seq, body))
            .isEqualTo(Json.bytes(whole));
      }
    }
  }

  @Test
  void acceptLanguageEnglishPicksEnglishElseChinese() {
    assertThat(Lang.fromAcceptLanguage("en-US,en;q=0.9")).isEqualTo(Lang.EN);
    assertThat(Lang.fromAcceptLanguage("EN")).isEqualTo(Lang.EN);
    assertThat(Lang.fromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8")).isEqualTo(Lang.ZH);
    assertThat(Lang.fromAcceptLanguage(null)).isEqualTo(Lang.ZH);
    assertThat(Lang.fromAcceptLanguage("")).isEqualTo(Lang.ZH);
  }
}
