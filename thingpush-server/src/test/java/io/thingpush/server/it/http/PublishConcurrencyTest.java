package io.thingpush.server.it.http;

import static io.thingpush.server.it.K07Watch.k07;
import static io.thingpush.server.it.K07Watch.seqsUpToAMarker;
import static io.thingpush.server.it.K07Watch.watchingK07;
import static io.thingpush.server.it.TestServer.PLATFORM_KEY;
import static io.thingpush.server.it.TestServer.PUBLISH_PATH;
import static io.thingpush.server.it.TestServer.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import io.thingpush.server.it.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publishes over many keep-alive connections at once, which the node serves on all its event
 * loops: every event gets a seq of its own and reaches a subscribed app once, and a request
 * repeated with its {@code Idempotency-Key} on every connection at the same moment is stored once.
 */
class PublishConcurrencyTest {
  private static final int CONNECTIONS = 8;
  private static final int PUBLISHES_PER_CONNECTION = 50;
  private static final int KEYS = 20;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TAKEN =
      "thingpush_events_in_total{code=\"deviceConn\",source=\"http\"}";

  @RegisterExtension static final TestServer server = TestServer.forClass();

  private static final ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);

  @AfterAll
  static void stopClients() {
    clients.shutdownNow();
  }

  @Test
  void publishesOverManyConnectionsAtOnceHaveDistinctSeqsAndArePushedOnceEach() {
    Connection app = watchingK07(server);

    List<Long> answered =
        onEveryConnection(
            (http, connection) -> {
              List<Long> seqs = new ArrayList<>();
              for (int i = 0; i < PUBLISHES_PER_CONNECTION; i++) {
                seqs.add(http.publish(null, k07(1 + (connection + i) % 2)));
              }
              return seqs;
            });

    assertThat(answered).hasSize(CONNECTIONS * PUBLISHES_PER_CONNECTION).doesNotHaveDuplicates();
    assertThat(seqsUpToAMarker(server, app)).containsExactlyInAnyOrderElementsOf(answered);
  }

  @Test
  void aKeyRepeatedOnEveryConnectionAtOnceIsStoredOnceAndAnsweredWithOneSeq() {
    Connection app = watchingK07(server);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add(UUID.randomUUID().toString());
    }
    double takenBefore = server.metric(TAKEN);
    CyclicBarrier together = new CyclicBarrier(CONNECTIONS);

    List<List<Long>> byConnection =
        onEveryConnectionApart(
            (http, connection) -> {
              List<Long> seqs = new ArrayList<>();
              for (String key : keys) {
                together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                seqs.add(http.publish(key, k07(2)));
              }
              return seqs;
            });

    List<Long> stored = byConnection.get(0);
    assertThat(stored).hasSize(KEYS).doesNotHaveDuplicates();
    assertThat(byConnection).allSatisfy(seqs -> assertThat(seqs).isEqualTo(stored));
    assertThat(seqsUpToAMarker(server, app)).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(server.metric(TAKEN))
        .as("each key and the marker")
        .isEqualTo(takenBefore + KEYS + 1);
  }

  @FunctionalInterface
  private interface Client {
    List<Long> run(KeepAlive http, int connection) throws Exception;
  }

  /** What {@code client} answered on each of the connections, all run at once, in one list. */
  private static List<Long> onEveryConnection(Client client) {
    return onEveryConnectionApart(client).stream().flatMap(List::stream).toList();
  }

  /** What {@code client} answered on each of the connections, all run at once, per connection. */
  private static List<List<Long>> onEveryConnectionApart(Client client) {
    List<CompletableFuture<List<Long>>> runs = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      int connection = i;
      runs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try (KeepAlive http = new KeepAlive()) {
                  return client.run(http, connection);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              clients));
    }
    return runs.stream().map(run -> join(run, WAIT.multipliedBy(2))).toList();
  }

  /** One kept-alive HTTP/1.1 connection to the node, one request at a time. */
  private static final class KeepAlive implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    KeepAlive() throws IOException {
      socket = new Socket(server.httpBase().getHost(), server.httpBase().getPort());
      socket.setSoTimeout((int) WAIT.toMillis());
      out = socket.getOutputStream();
      in = socket.getInputStream();
    }

    /** Publishes {@code body} (with {@code idempotencyKey} unless null); the seq of the 200 answer. */
    long publish(String idempotencyKey, String body) throws IOException {
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST "
              + PUBLISH_PATH
              + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
              + PLATFORM_KEY
              + "\r\nContent-Type: application/json\r\n"
              + (idempotencyKey == null ? "" : "Idempotency-Key: " + idempotencyKey + "\r\n")
              + "Content-Length: "
              + content.length
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      String[] lines = readHead().split("\r\n");
      int length = -1;
      for (String line : lines) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring("content-length:".length()).trim());
        }
        assertThat(lower).as("kept alive").isNotEqualTo("connection: close");
      }
      String answer = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      assertThat(lines[0]).as(answer).isEqualTo("HTTP/1.1 200 OK");
      JsonNode json = Json.parseOrNull(answer);
      assertThat(json.path("code").asInt()).as(answer).isEqualTo(200);
      return json.get("seq").asLong();
    }

    private String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed after " + head);
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
