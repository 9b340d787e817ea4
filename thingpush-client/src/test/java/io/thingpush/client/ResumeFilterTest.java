package io.thingpush.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import org.junit.jupiter.api.Test;

class ResumeFilterTest {
  private static JsonNode push(long seq, String path, String body) {
    return Json.parseOrNull(
        "{\"type\":\"down.pub\",\"path\":\""
            + path
            + "\",\"seq\":"
            + seq
            + ",\"body\":"
            + body
            + "}");
  }

  private final ResumeFilter filter = new ResumeFilter();

  @Test
  void outsideAResumeEverythingPasses() {
    JsonNode p = push(5, "deviceConn", "{}");
    assertThat(filter.admit(p)).isTrue();
    assertThat(filter.admit(p)).isTrue();
  }

  @Test
  void duringAResumeAnEventReplayedTwiceComesOnce() {
    filter.begin();
    assertThat(filter.admit(push(5, "deviceConn", "{}"))).isTrue();
    assertThat(filter.admit(push(5, "deviceConn", "{}"))).isFalse();
    assertThat(filter.admit(push(6, "deviceConn", "{}"))).isTrue();
    filter.end();
    assertThat(filter.admit(push(5, "deviceConn", "{}"))).isTrue();
  }

  @Test
  void v2PushesWithDifferentPropertySubsetsAreDifferentPushes() {
    filter.begin();
    assertThat(filter.admit(push(7, "devicePropertyReportV2", "{\"params\":{\"temp\":1}}")))
        .isTrue();
    assertThat(filter.admit(push(7, "devicePropertyReportV2", "{\"params\":{\"hum\":2}}")))
        .isTrue();
    assertThat(filter.admit(push(7, "devicePropertyReportV2", "{\"params\":{\"temp\":1}}")))
        .isFalse();
  }
}
