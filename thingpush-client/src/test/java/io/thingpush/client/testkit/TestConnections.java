package io.thingpush.client.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ThingPushClient;
import io.thingpush.client.ThingPushClientException;
import io.thingpush.protocol.Frames;
import java.lang.ref.WeakReference;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Connections for tests: opened like any other ({@link ThingPushClient#connect}), plus what only
 * a test needs of them — every frame received kept in an {@link Inbox} with waits on it, and raw
 * sends of bad input (not JSON, binary, fragmented) on the connection's socket.
 */
public final class TestConnections {
  /** Frames a test connection keeps: the latest, enough for any test. */
  static final int INBOX_CAPACITY = 10_000;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Weak keys: a connection's entry goes with it. */
  private static final Map<Connection, Tapped> TAPPED = new WeakHashMap<>();

  /**
   * What a test connection has beside itself. The socket is held weakly: the connection holds it,
   * and it reaches the connection (through its listener), which must stay collectable.
   */
  private record Tapped(Inbox inbox, WeakReference<SendQueue> socketOf) {
    SendQueue socket() {
      return socketOf.get();
    }
  }

  private TestConnections() {}

  /** {@link #connect(HttpClient, ConnectOptions)} with a shared HTTP client. */
  public static CompletableFuture<Connection> connect(ConnectOptions options) {
    return connect(HTTP, options);
  }

  /** Opens a connection as {@link ThingPushClient#connect(HttpClient, ConnectOptions)} does, and keeps what it receives. */
  public static CompletableFuture<Connection> connect(HttpClient http, ConnectOptions options) {
    TappingHttpClient tapping = new TappingHttpClient(http);
    return ThingPushClient.connect(tapping, options)
        .thenApply(
            c -> {
              Inbox inbox = new Inbox(INBOX_CAPACITY);
              c.onFrame(
                  frame ->
                      inbox.add(frame, Frames.DOWN_PUB.equals(frame.path("type").textValue())));
              c.closed().thenAccept(status -> inbox.close(status.toString()));
              synchronized (TAPPED) {
                TAPPED.put(c, new Tapped(inbox, new WeakReference<>(tapping.socket())));
              }
              return c;
            });
  }

  private static Tapped of(Connection c) {
    synchronized (TAPPED) {
      Tapped tapped = TAPPED.get(c);
      if (tapped == null) {
        throw new IllegalArgumentException("not opened by TestConnections.connect: " + c);
      }
      return tapped;
    }
  }

  // ---- what was received

  /** The frames received after the first, in order. */
  public static List<JsonNode> framesSoFar(Connection c) {
    return of(c).inbox().frames();
  }

  /** The {@code down.pub} frames received, in order. */
  public static List<JsonNode> pushesSoFar(Connection c) {
    return of(c).inbox().pushes();
  }

  /**
   * The next push not yet returned by this method, waiting up to {@code timeout}.
   *
   * @throws ThingPushClientException when none came in time or the connection closed
   */
  public static JsonNode awaitPush(Connection c, Duration timeout) {
    return of(c).inbox().awaitPush(timeout);
  }

  /**
   * The first frame received after the first one (already or within {@code timeout}) that
   * {@code match} accepts.
   *
   * @throws ThingPushClientException when none came in time or the connection closed
   */
  public static JsonNode awaitFrame(Connection c, Predicate<JsonNode> match, Duration timeout) {
    return of(c).inbox().awaitFrame(match, timeout);
  }

  // ---- raw sends, for tests of bad input

  /** Sends {@code text} as one text message. */
  public static CompletableFuture<Void> sendText(Connection c, String text) {
    return of(c).socket().sendText(text, true).thenApply(ws -> null);
  }

  /** Sends one binary message. */
  public static CompletableFuture<Void> sendBinary(Connection c, byte[] bytes) {
    return of(c).socket().sendBinary(ByteBuffer.wrap(bytes.clone()), true).thenApply(ws -> null);
  }

  /** Sends one text message split into {@code parts.length} frames (continuation frames). */
  public static CompletableFuture<Void> sendFragments(Connection c, String... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("at least one part");
    }
    return of(c).socket().sendFragments(parts).thenApply(ws -> null);
  }
}
