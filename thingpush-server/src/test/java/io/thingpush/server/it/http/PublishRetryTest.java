package io.thingpush.server.it.http;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.K07Watch.CONN;
import static io.thingpush.server.it.K07Watch.k07;
import static io.thingpush.server.it.K07Watch.seqsUpToAMarker;
import static io.thingpush.server.it.K07Watch.watchingK07;
import static io.thingpush.server.it.TestServer.ACME_KEY;
import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static io.thingpush.server.it.TestServer.publishBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.client.Connection;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.TestServer.HttpResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A publish sent again with its {@code Idempotency-Key} (docs/publish-api.md#retries) on one node:
 * answered as the first one was, stored and pushed once. The node holds three keys at most here.
 */
class PublishRetryTest {
  private static final String REPEATS = "thingpush_publish_repeats_total{source=\"http\"}";
  private static final String TAKEN =
      "thingpush_events_in_total{code=\"deviceConn\",source=\"http\"}";

  @RegisterExtension
  static final TestServer server =
      TestServer.forClass(
          c -> c.put("history", new LinkedHashMap<>(Map.of("idempotencyMaxKeys", 3))));

  private static String newKey() {
    return UUID.randomUUID().toString();
  }

  @Test
  void aRetryWithTheSameKeyIsAnsweredWithTheFirstSeqAndPushedOnce() {
    Connection c = watchingK07(server);
    String key = newKey();
    double repeatsBefore = server.metric(REPEATS);
    double takenBefore = server.metric(TAKEN);

    HttpResult first = server.publishOnce(PLATFORM_KEY, key, k07(2));
    HttpResult retry = server.publishOnce(PLATFORM_KEY, key, k07(2));

    assertThat(first.status()).isEqualTo(200);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body()).as("the same answer").isEqualTo(first.body());
    assertJson(
        retry.json(),
        "{'code':200,'msg':'success','seq':" + first.json().get("seq").asLong() + "}");
    assertThat(seqsUpToAMarker(server, c)).containsExactly(first.json().get("seq").asLong());
    assertThat(server.metric(REPEATS)).isEqualTo(repeatsBefore + 1);
    assertThat(server.metric(TAKEN)).as("the marker and the first").isEqualTo(takenBefore + 2);
  }

  @Test
  void theKeyAloneNamesTheEventAndAnotherKeyIsAnotherEvent() {
    Connection c = watchingK07(server);
    String key = newKey();

    long first = server.publishOnce(PLATFORM_KEY, key, k07(2)).json().get("seq").asLong();
    long otherBody = server.publishOnce(PLATFORM_KEY, key, k07(1)).json().get("seq").asLong();
    long otherKey = server.publishOnce(PLATFORM_KEY, newKey(), k07(2)).json().get("seq").asLong();

    assertThat(otherBody).as("a repeat, whatever its body").isEqualTo(first);
    assertThat(otherKey).isGreaterThan(first);
    assertThat(seqsUpToAMarker(server, c)).containsExactly(first, otherKey);
  }

  @Test
  void eachTenantHasKeysOfItsOwn() {
    String key = newKey();
    String x1 = publishBody(CONN, "prodX", "x1", "{\"status\":1}");

    long byAcme = server.publishOnce(ACME_KEY, key, x1).json().get("seq").asLong();
    long byPlatform = server.publishOnce(PLATFORM_KEY, key, x1).json().get("seq").asLong();

    assertThat(byPlatform).isNotEqualTo(byAcme);
  }

  @Test
  void aRefusedPublishHoldsNoKey() {
    String key = newKey();

    HttpResult refused =
        server.publishOnce(PLATFORM_KEY, key, publishBody(CONN, "prodA", "nope", "{\"status\":1}"));
    HttpResult stored = server.publishOnce(PLATFORM_KEY, key, k07(2));
    HttpResult retry = server.publishOnce(PLATFORM_KEY, key, k07(2));

    assertThat(refused.status()).isEqualTo(404);
    assertThat(stored.status()).isEqualTo(200);
    assertThat(retry.json().get("seq").asLong()).isEqualTo(stored.json().get("seq").asLong());
  }

  @Test
  void pastMaxKeysTheOldestKeyIsForgottenAndItsRetryStoredAgain() {
    String oldest = newKey();
    long first = server.publishOnce(PLATFORM_KEY, oldest, k07(2)).json().get("seq").asLong();
    for (int i = 0; i < 3; i++) {
      server.publishOnce(PLATFORM_KEY, newKey(), k07(2));
    }

    long again = server.publishOnce(PLATFORM_KEY, oldest, k07(2)).json().get("seq").asLong();

    assertThat(again).isGreaterThan(first);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "two words", "a\tb"})
  void aMalformedKeyIs400AndStoresNothing(String key) {
    Connection c = watchingK07(server);

    HttpResult r = server.publishOnce(PLATFORM_KEY, key, k07(2));

    assertThat(r.status()).isEqualTo(400);
    assertJson(
        r.json(),
        "{'code':100006,'msg':'parameter error: Idempotency-Key must be 1 to 255 visible ASCII characters'}");
    assertThat(seqsUpToAMarker(server, c)).isEmpty();
  }

  @Test
  void aKeyOf255CharactersIsTakenAndOneOf256Refused() {
    assertThat(server.publishOnce(PLATFORM_KEY, "k".repeat(255), k07(2)).status()).isEqualTo(200);
    assertThat(server.publishOnce(PLATFORM_KEY, "k".repeat(256), k07(2)).status()).isEqualTo(400);
  }
}
