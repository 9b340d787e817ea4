package io.thingpush.server.it.nats;

import static io.thingpush.client.testkit.TestConnections.awaitFrame;
import static io.thingpush.client.testkit.TestConnections.awaitPush;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.Jsons.params;
import static io.thingpush.server.it.K07Watch.CONN;
import static io.thingpush.server.it.K07Watch.watchingK07;
import static io.thingpush.server.it.TestServer.ACME_KEY;
import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static io.thingpush.server.it.TestServer.WAIT;
import static io.thingpush.server.it.TestServer.join;
import static io.thingpush.server.it.TestServer.publishBody;
import static io.thingpush.server.it.nats.NatsPlatform.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.impl.Headers;
import io.thingpush.client.Connection;
import io.thingpush.server.config.ConfigException;
import io.thingpush.server.it.NatsTestServer;
import io.thingpush.server.it.Subs;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The publish API over NATS (SPEC §8) on an embedded node with a connection of its own to a
 * real nats-server: a platform's request is answered as over HTTP and its event pushed as one
 * published over HTTP; every refusal answers its code and pushes nothing.
 */
class NatsPublishTest {
  private static final String SUBJECT = "platform.events";
  private static final String K07_ONLINE = publishBody(CONN, "prodA", "k07", "{\"status\":1}");
  private static NatsTestServer nats;
  private static TestServer server;
  private static NatsPlatform platform;

  @BeforeAll
  static void start() {
    nats = NatsTestServer.start();
    server =
        TestServer.start(
            c ->
                c.get("publish")
                    .put("nats", Map.of("enabled", true, "url", nats.url(), "subject", SUBJECT)));
    platform = NatsPlatform.connect(nats.url(), SUBJECT);
  }

  @AfterAll
  static void stop() throws Exception {
    platform.close();
    server.close();
    nats.close();
  }

  @AfterEach
  void closeClients() {
    server.closeClients();
  }

  @Test
  void aRequestIsAnsweredWithItsSeqAndPushedExactlyAsAnEventPublishedOverHttp() {
    Connection c = server.connectAs("alice");
    assertJson(
        join(c.subscribe("devicePropertyReport", params("productID", "prodA", "deviceName", "d1"))),
        Subs.OK_SUB);
    String payload = "{\"identifier\":\"temp\",\"param\":21.5,\"timestamp\":\"1795663537021\"}";
    double takenBefore =
        server.metric("thingpush_events_in_total{code=\"devicePropertyReport\",source=\"nats\"}");

    String body = publishBody("devicePropertyReport", "prodA", "d1", payload);
    JsonNode answer = platform.request(bearer(PLATFORM_KEY), body);
    long overHttp = server.publish("devicePropertyReport", "prodA", "d1", payload);

    assertJson(answer, "{'code':200,'msg':'success','seq':'*'}");
    assertThat(answer.get("seq").isIntegralNumber()).isTrue();
    List<JsonNode> pushes = Waits.pushes(c, 2);
    assertThat(pushes)
        .extracting(p -> p.get("seq").asLong())
        .containsExactly(answer.get("seq").asLong(), overHttp);
    assertJson(
        pushes.get(0),
        "{'code':200,'msg':'成功','type':'down.pub','path':'devicePropertyReport','seq':'*',"
            + "'body':{'device':{'productID':'prodA','deviceName':'d1'},'timestamp':'1795663537021',"
            + "'identifier':'temp','param':21.5}}");
    assertThat(withoutSeq(pushes.get(0)))
        .as("the same push as over HTTP")
        .isEqualTo(withoutSeq(pushes.get(1)));
    assertThat(
            server.metric(
                "thingpush_events_in_total{code=\"devicePropertyReport\",source=\"nats\"}"))
        .isEqualTo(takenBefore + 1);
  }

  @Test
  void aMessageWithoutAReplySubjectIsTakenToo() {
    Connection c = watchingK07(server);

    platform.publish(bearer(PLATFORM_KEY), publishBody(CONN, "prodA", "k07", "{\"status\":2}"));

    JsonNode push = awaitPush(c, WAIT);
    assertJson(
        push.get("body"),
        "{'device':{'productID':'prodA','deviceName':'k07'},'timestamp':'*','status':2}");
  }

  @Test
  void theHeaderNameMayComeInAnyCaseAndATenantKeyPublishesForItsTenant() {
    JsonNode lower =
        platform.request(new Headers().add("authorization", "Bearer " + PLATFORM_KEY), K07_ONLINE);
    JsonNode acme =
        platform.request(bearer(ACME_KEY), publishBody(CONN, "prodX", "x1", "{\"status\":1}"));

    assertJson(lower, "{'code':200,'msg':'success','seq':'*'}");
    assertJson(acme, "{'code':200,'msg':'success','seq':'*'}");
  }

  static Stream<Arguments> refusals() {
    Headers platformKey = bearer(PLATFORM_KEY);
    return Stream.of(
        Arguments.of("not JSON", platformKey, "{\"code\":", 100006),
        Arguments.of(
            "unknown code",
            platformKey,
            publishBody("nope", "prodA", "k07", "{\"status\":1}"),
            100006),
        Arguments.of(
            "a payload its code refuses",
            platformKey,
            publishBody(CONN, "prodA", "k07", "{\"status\":3}"),
            100006),
        Arguments.of(
            "unknown device",
            platformKey,
            publishBody(CONN, "prodA", "nope", "{\"status\":1}"),
            100009),
        Arguments.of("no key", null, K07_ONLINE, 100005),
        Arguments.of("an unknown key", bearer("nope"), K07_ONLINE, 100005),
        Arguments.of(
            "a key without Bearer",
            new Headers().add("Authorization", PLATFORM_KEY),
            K07_ONLINE,
            100005),
        Arguments.of(
            "another tenant's device with a tenant key", bearer(ACME_KEY), K07_ONLINE, 100009),
        Arguments.of(
            "a malformed Idempotency-Key",
            bearer(PLATFORM_KEY).add("Idempotency-Key", "two words"),
            K07_ONLINE,
            100006));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aRefusalAnswersItsCodeCountsAndPushesNothing(
      String what, Headers headers, String body, int code) {
    Connection c = watchingK07(server);
    String refused = "thingpush_publish_refused_total{code=\"" + code + "\",source=\"nats\"}";
    double before = server.metric(refused);

    JsonNode answer = platform.request(headers, body);

    assertJson(answer, "{'code':" + code + ",'msg':'*'}");
    assertThat(server.metric(refused)).isEqualTo(before + 1);
    assertOnlyPushIsTheNext(c);
  }

  @Test
  void withoutAReplySubjectARefusalIsCountedAndPushesNothing() {
    Connection c = watchingK07(server);
    String refused = "thingpush_publish_refused_total{code=\"100009\",source=\"nats\"}";
    double before = server.metric(refused);

    platform.publish(bearer(ACME_KEY), K07_ONLINE);

    // Published after the refused one on the same connection and subject, so taken after it.
    assertOnlyPushIsTheNext(c);
    assertThat(server.metric(refused)).isEqualTo(before + 1);
  }

  @Test
  void aRequestSentAgainWithItsIdempotencyKeyIsAnsweredWithTheFirstSeqAndPushedOnce() {
    Connection c = watchingK07(server);
    String key = UUID.randomUUID().toString();
    String body = publishBody(CONN, "prodA", "k07", "{\"status\":2}");
    String repeats = "thingpush_publish_repeats_total{source=\"nats\"}";
    double before = server.metric(repeats);

    JsonNode first = platform.request(bearer(PLATFORM_KEY).add("Idempotency-Key", key), body);
    JsonNode retry = platform.request(bearer(PLATFORM_KEY).add("idempotency-key", key), body);
    long overHttp = server.publishOnce(PLATFORM_KEY, key, body).json().get("seq").asLong();

    long seq = first.get("seq").asLong();
    assertJson(retry, "{'code':200,'msg':'success','seq':" + seq + "}");
    assertThat(overHttp).as("the same key over HTTP").isEqualTo(seq);
    long marker = platform.requestOk(PLATFORM_KEY, K07_ONLINE);
    awaitFrame(c, f -> f.path("seq").asLong() == marker, WAIT);
    assertThat(pushesSoFar(c)).extracting(p -> p.get("seq").asLong()).containsExactly(seq, marker);
    assertThat(server.metric(repeats)).isEqualTo(before + 1);
  }

  @Test
  void aNodeWhoseNatsCannotBeReachedDoesNotStartAndNamesTheOption() {
    String nobody = "nats://127.0.0.1:" + NatsTestServer.freePort();
    Map<String, Object> unreachable = Map.of("enabled", true, "url", nobody);

    assertThatThrownBy(() -> TestServer.start(c -> c.get("publish").put("nats", unreachable)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("publish.nats: cannot take thingpush.publish on " + nobody);
  }

  /** Publishes one good event for k07 and asserts it is the only push {@code c} got. */
  private static void assertOnlyPushIsTheNext(Connection c) {
    long seq =
        platform.requestOk(PLATFORM_KEY, publishBody(CONN, "prodA", "k07", "{\"status\":2}"));
    awaitFrame(c, f -> f.path("seq").asLong() == seq, WAIT);
    assertThat(pushesSoFar(c)).extracting(p -> p.get("seq").asLong()).containsExactly(seq);
  }

  private static JsonNode withoutSeq(JsonNode push) {
    ObjectNode copy = push.deepCopy();
    copy.remove("seq");
    return copy;
  }
}
