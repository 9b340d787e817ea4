package io.thingpush.server.it.nats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/**
 * A platform that hands events to ThingPush over NATS with the real jnats client, as
 * docs/publish-api.md shows: requests that wait for the answer, or messages with no reply subject.
 */
final class NatsPlatform implements AutoCloseable {
  private final Connection connection;
  private final String subject;

  private NatsPlatform(Connection connection, String subject) {
    this.connection = connection;
    this.subject = subject;
  }

  static NatsPlatform connect(String url, String subject) {
    try {
      return new NatsPlatform(Nats.connect(url), subject);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code Authorization: Bearer <key>}. */
  static Headers bearer(String key) {
    return new Headers().add("Authorization", "Bearer " + key);
  }

  /** Sends {@code body} as a request with {@code headers} (null: none) and returns the answer. */
  JsonNode request(Headers headers, String body) {
    Message answer;
    try {
      answer =
          connection.request(
              subject, headers, body.getBytes(StandardCharsets.UTF_8), TestServer.WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(answer).as("answer to %s within %s", body, TestServer.WAIT).isNotNull();
    JsonNode json = Json.parseOrNull(new String(answer.getData(), StandardCharsets.UTF_8));
    assertThat(json).as("JSON answer to %s", body).isNotNull();
    return json;
  }

  /** Requests with {@code key} and asserts the event was taken; returns its seq. */
  long requestOk(String key, String body) {
    JsonNode answer = request(bearer(key), body);
    assertThat(answer.path("code").asInt()).as("answer to %s: %s", body, answer).isEqualTo(200);
    return answer.get("seq").asLong();
  }

  /** Publishes {@code body} with no reply subject; returns once the NATS server has it. */
  void publish(Headers headers, String body) {
    connection.publish(subject, headers, body.getBytes(StandardCharsets.UTF_8));
    try {
      connection.flush(TestServer.WAIT);
    } catch (TimeoutException e) {
      throw new AssertionError("NATS did not confirm the publish", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }
}
