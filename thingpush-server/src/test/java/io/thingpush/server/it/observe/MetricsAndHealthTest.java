package io.thingpush.server.it.observe;

import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.client.Connection;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.Jsons;
import io.thingpush.server.it.RawWebSocket;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prometheus metrics after a known scenario on a fresh server (connections counted per
 * tenant, as {@code management.tenantLabels} asks), and the health endpoints.
 */
class MetricsAndHealthTest {
  @RegisterExtension
  static final TestServer server =
      TestServer.forClass(c -> c.get("management").put("tenantLabels", true));

  @Test
  void metricsCountWhatHappened() {
    Connection a = server.connectAs("alice");
    Connection b = server.connectAs("bob");
    Connection acme =
        server.connect(
            server
                .options()
                .token(server.token("acme-user").tenant("acme").sign())
                .tenantCode("acme")
                .build());
    join(a.subscribe("devicePropertyReport", Map.of("projectID", "p1")));
    join(a.subscribe("deviceConn", Map.of("productID", "prodA", "deviceName", "d1")));
    join(b.subscribe("devicePropertyReport", Map.of("productID", "prodA", "deviceName", "d1")));

    for (int i = 0; i < 3; i++) {
      server.publish(
          "devicePropertyReport", "prodA", "d1", "{\"identifier\":\"temp\",\"param\":" + i + "}");
    }
    Waits.pushes(a, 3);
    Waits.pushes(b, 3);
    RawWebSocket tooBig = server.rawAs("carol", false);
    tooBig.sendText("x".repeat(70_000));
    TestServer.join(tooBig.disconnected());

    // the server forgets the closed connection right after the client sees it go
    Waits.await().until(() -> server.metric("thingpush_connections{tenant=\"default\"}") == 2);
    assertThat(server.metric("thingpush_connections{tenant=\"acme\"}")).isEqualTo(1);
    assertThat(server.metric("thingpush_subscriptions{code=\"devicePropertyReport\"}"))
        .isEqualTo(2);
    assertThat(server.metric("thingpush_subscriptions{code=\"deviceConn\"}")).isEqualTo(1);
    assertThat(
            server.metric(
                "thingpush_events_in_total{code=\"devicePropertyReport\",source=\"http\"}"))
        .isEqualTo(3);
    assertThat(server.metric("thingpush_deliveries_total{kind=\"live\"}"))
        .as("3 events to 2 connections")
        .isEqualTo(6);
    assertThat(server.metric("thingpush_frames_encoded_total"))
        .as("one encoding per event")
        .isEqualTo(3);
    assertThat(server.metric("thingpush_push_latency_seconds_count")).isEqualTo(6);
    assertThat(server.metric("thingpush_closes_total{code=\"1009\"}")).isEqualTo(1);
    assertThat(server.metric("thingpush_dropped_total")).isZero();
    assertThat(server.metric("thingpush_conflated_total")).isZero();
    assertThat(acme.isOpen()).isTrue();
  }

  @Test
  void aRunningNodeIsLiveAndReady() {
    TestServer.HttpResult live = server.get("/health/live");
    TestServer.HttpResult ready = server.get("/health/ready");

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().path("status").asText()).isEqualTo("UP");
    assertThat(ready.status()).isEqualTo(200);
    Jsons.assertJson(
        ready.json(), "{'status':'UP','checks':{'registry':true,'websocket':true,'running':true}}");
  }

  /** The JDK client asks plain-HTTP servers for an HTTP/2 upgrade; the HTTP APIs stay on HTTP/1.1. */
  @Test
  void theHttpApisAnswerInHttp11EvenToAClientAskingForHttp2() throws Exception {
    HttpClient asksForHttp2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    for (int i = 0; i < 2; i++) {
      HttpRequest openApi =
          HttpRequest.newBuilder(server.httpBase().resolve(AdminClient.BASE + "/openapi.yaml"))
              .timeout(WAIT)
              .build();
      HttpResponse<String> r = asksForHttp2.send(openApi, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
  }
}
