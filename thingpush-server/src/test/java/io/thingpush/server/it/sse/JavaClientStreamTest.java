package io.thingpush.server.it.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.EventStream;
import io.thingpush.client.ThingPushClient;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.TestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java client over an event stream: frames and pushes, the server's close, a resume from the last id, a refusal. */
class JavaClientStreamTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  private static final List<JsonNode> D1 =
      List.of(
          Json.parseOrNull(
              "{\"code\":\"deviceConn\",\"params\":{\"productID\":\"prodA\",\"deviceName\":\"d1\"}}"));

  private static long conn(int status) {
    return server.publish("deviceConn", "prodA", "d1", "{\"status\":" + status + "}");
  }

  @Test
  void aStreamGetsItsPushesEndsWithTheServersCloseAndResumesFromItsLastId() {
    List<JsonNode> pushes = new CopyOnWriteArrayList<>();
    EventStream first = ThingPushClient.eventStream(server.options("alice").build(), D1);
    first.onPush(pushes::add);
    TestServer.join(first.open());
    assertThat(first.accepted()).as("%s", first.hello()).isTrue();
    long one = conn(1);
    await().atMost(TestServer.WAIT).until(() -> pushes.size() == 1);
    String connectID = first.hello().path("handler").path("connectID").asText();
    AdminClient operator = new AdminClient(server, server.tokenOf(TestServer.PLATFORM_ADMIN));
    AdminClient.ok(
        operator.post(
            "/connections/" + connectID + "/close", "{\"code\":4009,\"reason\":\"moving\"}"),
        200);
    CloseStatus close = TestServer.join(first.closed());
    long missed = conn(2);

    EventStream again = ThingPushClient.eventStream(server.options("alice").build(), D1);
    again.onPush(pushes::add);
    TestServer.join(again.open(first.lastEventId()));
    long live = conn(1);
    await().atMost(TestServer.WAIT).until(() -> pushes.size() == 3);
    again.close();

    assertThat(close.code()).isEqualTo(4009);
    assertThat(first.lastEventId()).isEqualTo(Long.toString(one));
    assertThat(pushes).extracting(p -> p.path("seq").asLong()).containsExactly(one, missed, live);
  }

  @Test
  void aRefusedStreamCarriesItsRefusal() {
    EventStream refused =
        TestServer.join(
            ThingPushClient.eventStream(server.options().token("bad").build(), D1).open());

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.hello().path("code").asInt()).isEqualTo(100004);
    assertThat(TestServer.join(refused.closed()).code()).isEqualTo(401);
  }
}
