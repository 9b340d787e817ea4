package io.thingpush.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplyJsonTest {
  /** The reply as the shared mapper writes it from a tree. */
  private static String tree(
      String method, String msgToken, String actionId, int code, String msg) {
    ObjectNode reply = Json.object().put("method", method).put("msgToken", msgToken);
    if (actionId != null) {
      reply.put("actionID", actionId);
    }
    return Json.text(reply.put("code", code).put("msg", msg));
  }

  private static void sameAsTree(
      String method, String msgToken, String actionId, int code, String msg) {
    assertThat(ReplyJson.of(method, msgToken, actionId, code, msg))
        .isEqualTo(tree(method, msgToken, actionId, code, msg));
  }

  @Test
  void aReportReplyIsTheTreesText() {
    assertThat(ReplyJson.of("reportReply", "t1", null, 200, "success"))
        .isEqualTo(
            "{\"method\":\"reportReply\",\"msgToken\":\"t1\",\"code\":200,\"msg\":\"success\"}");
    sameAsTree(
        "reportReply", "", null, 100006, "parameter error: params must be a non-empty object");
    sameAsTree("actionReply", "a1", "reboot", 406, "delay: must be an integer");
    sameAsTree("controlReply", "c1", null, -1, "");
  }

  @Test
  void escapesAreJacksons() {
    sameAsTree("reportReply", "quote \" backslash \\ slash /", null, 200, "tab\tnew line\n");
    sameAsTree("reportReply", "\u0000\u0001\u001f\b\f\r", "\u007f", 0, "é 温度 \uD83D\uDE00");
    sameAsTree("reportReply", "lone \uD800 surrogate", null, Integer.MIN_VALUE, "\u2028\u2029");
    sameAsTree("reportReply", null, null, Integer.MAX_VALUE, null);
  }

  @Test
  void anyTextIsTheTreesText() {
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      sameAsTree("reportReply", text(random), i % 2 == 0 ? null : text(random), i, text(random));
    }
  }

  /** Characters from every range an escape may concern: controls, ASCII, Latin-1, any UTF-16 unit. */
  private static String text(Random random) {
    char[] chars = new char[random.nextInt(20)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] =
          switch (random.nextInt(4)) {
            case 0 -> (char) random.nextInt(0x20);
            case 1 -> (char) (0x20 + random.nextInt(0x60));
            case 2 -> (char) random.nextInt(0x100);
            default -> (char) random.nextInt(0x10000);
          };
    }
    return new String(chars);
  }
}
