package io.thingpush.client.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.ThingPushClientException;
import io.thingpush.protocol.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InboxTest {
  private static final Duration SHORT = Duration.ofMillis(50);
  private final Inbox inbox = new Inbox(100);

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

    JsonNode got =
        inbox.awaitFrame(f -> f.path("type").asText().equals("down.error"), Duration.ofSeconds(5));

    assertThat(got.path("type").asText()).isEqualTo("down.error");
    later.join();
  }

  @Test
  void awaitFrameOnlyLooksAtFramesItHasNotScanned() {
    inbox.add(Json.parseOrNull("{\"n\":1}"), false);

    assertThatThrownBy(() -> inbox.awaitFrame(f -> f.path("n").asInt() == 2, SHORT))
        .isInstanceOf(ThingPushClientException.class);
    inbox.add(Json.parseOrNull("{\"n\":2}"), false);
    assertThat(inbox.awaitFrame(f -> f.path("n").asInt() >= 1, SHORT).path("n").asInt())
        .isEqualTo(1);
    assertThat(inbox.awaitFrame(f -> f.path("n").asInt() == 2, SHORT).path("n").asInt())
        .isEqualTo(2);
  }

  @Test
  void holdsOnlyTheLatestFramesUpToItsCapacity() {
    Inbox small = new Inbox(2);
    for (int i = 1; i <= 3; i++) {
      small.add(Json.parseOrNull("{\"seq\":" + i + "}"), true);
    }

    assertThat(small.frames()).extracting(f -> f.get("seq").asInt()).containsExactly(2, 3);
    assertThat(small.pushes()).extracting(f -> f.get("seq").asInt()).containsExactly(2, 3);
    assertThat(small.awaitPush(SHORT).get("seq").asInt()).isEqualTo(2);
    assertThat(new Inbox(0).frames()).isEmpty();
    assertThatThrownBy(() -> new Inbox(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void waitsEndAtOnceWhenClosed() {
    inbox.close("4001 token expired");

    assertThatThrownBy(() -> inbox.awaitFrame(f -> true, Duration.ofMinutes(1)))
        .isInstanceOf(ThingPushClientException.class)
        .hasMessageContaining("4001 token expired");
  }
}
