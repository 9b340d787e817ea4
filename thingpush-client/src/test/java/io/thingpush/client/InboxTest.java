package io.thingpush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InboxTest {
  private static final Duration SHORT = Duration.ofMillis(50);
  private final Inbox inbox = new Inbox();

  @Test
  void pushesAreTakenInOrderAndKept() {
    JsonNode p1 = Json.parseOrNull("{\"seq\":1}");
    JsonNode e = Json.parseOrNull("{\"type\":\"down.error\"}");
    JsonNode p2 = Json.parseOrNull("{\"seq\":2}");
    inbox.add(p1, true);
    inbox.add(e, false);
    inbox.add(p2, true);

    assertThat(inbox.awaitPush(SHORT)).isSameAs(p1);
    assertThat(inbox.awaitPush(SHORT)).isSameAs(p2);
    assertThat(inbox.pushes()).containsExactly(p1, p2);
    assertThat(inbox.frames()).containsExactly(p1, e, p2);
    assertThatThrownBy(() -> inbox.awaitPush(SHORT)).isInstanceOf(ThingPushClientException.class);
  }

  @Test
  void awaitFrameWakesUpOnArrival() throws Exception {
    Thread later =
        new Thread(() -> inbox.add(Json.parseOrNull("{\"type\":\"down.error\"}"), false));
    later.start();

    JsonNode got = inbox.awaitFrame(f -> f.path("type").asText().equals("down.error"), Duration.ofSeconds(5));

    assertThat(got.path("type").asText()).isEqualTo("down.error");
    later.join();
  }

  @Test
  void waitsEndAtOnceWhenClosed() {
    inbox.close("4001 token expired");

    assertThatThrownBy(() -> inbox.awaitFrame(f -> true, Duration.ofMinutes(1)))
        .isInstanceOf(ThingPushClientException.class)
        .hasMessageContaining("4001 token expired");
  }
}
