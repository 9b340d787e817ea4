package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Opens ThingPush connections on the JDK's {@link java.net.http.WebSocket}, or event streams
 * (Server-Sent Events) on its {@link HttpClient} where a WebSocket cannot pass.
 *
 * <pre>{@code
 * Connection c = ThingPushClient.connect(
 *     ConnectOptions.builder("ws://127.0.0.1:7777").token(jwt).appCode("dashboard").build()).join();
 * c.onPush(push -> render(push.get("body")));
 * c.subscribe("deviceConn", Map.of("projectID", "p1")).join();
 * }</pre>
 */
public final class ThingPushClient {
  private static final class Shared {
    static final HttpClient HTTP = HttpClient.newHttpClient();
  }

  private ThingPushClient() {}

  /** {@link #connect(HttpClient, ConnectOptions)} with a shared HTTP client. */
  public static CompletableFuture<Connection> connect(ConnectOptions options) {
    return connect(Shared.HTTP, options);
  }

  /**
   * Opens a connection. The future completes once the server's first frame arrived: check
   * {@link Connection#accepted()}; a refused connection carries the refusal in {@link
   * Connection#hello()} and its close code in {@link Connection#closed()}. It fails when the
   * upgrade fails (e.g. HTTP 400) or the socket closes before any frame.
   */
  public static CompletableFuture<Connection> connect(HttpClient http, ConnectOptions options) {
    Connection connection = new Connection(options);
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(options.connectTimeout());
    options.headers().forEach(builder::header);
    return builder
        .buildAsync(options.uri(), connection.listener())
        .thenCompose(ws -> connection.opened());
  }

  /** {@link #eventStream(HttpClient, ConnectOptions, List)} with a shared HTTP client. */
  public static EventStream eventStream(ConnectOptions options, List<JsonNode> subscriptions) {
    return eventStream(Shared.HTTP, options, subscriptions);
  }

  /**
   * An event stream (Server-Sent Events, SPEC §10) to the server of {@code options} (its {@code
   * ws://} base is the stream's {@code http://} base) with {@code subscriptions}, each the body of
   * an {@code up.sub}; not open yet, so that listeners see every frame: add them, then {@link
   * EventStream#open}.
   */
  public static EventStream eventStream(
      HttpClient http, ConnectOptions options, List<JsonNode> subscriptions) {
    return new EventStream(http, options, subscriptions);
  }
}
