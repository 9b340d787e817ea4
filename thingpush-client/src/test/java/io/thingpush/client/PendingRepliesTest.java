package io.thingpush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingRepliesTest {
  private final PendingReplies pending = new PendingReplies();

  @Test
  void addsAReqIdAndCompletesTheRequestItsReplyEchoes() {
    PendingReplies.Registration a = pending.register(null);
    PendingReplies.Registration b = pending.register(Map.of("any", "x"));

    assertThat(a.handler()).isEqualTo(json("{\"reqID\":\"1\"}"));
    assertThat(b.handler()).isEqualTo(json("{\"any\":\"x\",\"reqID\":\"2\"}"));

    JsonNode reply =
        json("{\"code\":200,\"type\":\"down.pong\",\"handler\":{\"any\":\"x\",\"reqID\":\"2\"}}");
    assertThat(pending.complete(reply)).isTrue();
    assertThat(b.reply()).isCompletedWithValue(reply);
    assertThat(a.reply()).isNotDone();
    assertThat(pending.size()).isEqualTo(1);
  }

  @Test
  void keepsAReqIdTheUserGave() {
    PendingReplies.Registration r = pending.register(Map.of("reqID", "mine"));

    assertThat(r.handler()).isEqualTo(json("{\"reqID\":\"mine\"}"));
    assertThat(pending.complete(json("{\"handler\":{\"reqID\":\"mine\"}}"))).isTrue();
    assertThatThrownBy(
            () -> {
              pending.register(Map.of("reqID", "dup"));
              pending.register(Map.of("reqID", "dup"));
            })
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framesWithoutAKnownReqIdAreUnsolicited() {
    pending.register(null);

    assertThat(pending.complete(json("{\"type\":\"down.pub\"}"))).isFalse();
    assertThat(pending.complete(json("{\"handler\":{\"reqID\":\"99\"}}"))).isFalse();
    assertThat(pending.complete(json("{\"handler\":{\"reqID\":1}}"))).isFalse();
  }

  @Test
  void failAllFailsEveryWaitingRequest() {
    PendingReplies.Registration r = pending.register(null);

    pending.failAll(new ThingPushClientException("closed"));

    assertThat(r.reply()).isCompletedExceptionally();
    assertThat(pending.size()).isZero();
  }

  private static JsonNode json(String text) {
    return Json.parseOrNull(text);
  }
}
