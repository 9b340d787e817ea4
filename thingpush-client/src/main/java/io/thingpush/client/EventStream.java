package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A ThingPush event stream (Server-Sent Events, SPEC §10): the same subscriptions and frames as a
 * {@link Connection}, over a plain HTTP response, for networks that do not let a WebSocket
 * through. Its subscriptions are the {@code up.sub} bodies it was made with; it sends nothing.
 * Make it with {@link ThingPushClient#eventStream}, add listeners, then {@link #open}; resume one
 * that ended with a new stream opened from its {@link #lastEventId()}.
 */
public final class EventStream implements AutoCloseable {
  /** Where streams are opened, on the WebSocket's port. */
  public static final String PATH = "/api/v1/system/common/sse/connect";

  private final List<Consumer<JsonNode>> frameListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<JsonNode>> pushListeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<EventStream> opened = new CompletableFuture<>();
  private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
  private volatile JsonNode hello;
  private volatile String lastEventId;
  private volatile Stream<String> lines;
  private final HttpClient http;
  private final ConnectOptions options;
  private final List<JsonNode> subscriptions;
  private boolean opening;

  EventStream(HttpClient http, ConnectOptions options, List<JsonNode> subscriptions) {
    this.http = http;
    this.options = options;
    this.subscriptions = List.copyOf(subscriptions);
  }

  /** {@link #open(String)} from the start. */
  public CompletableFuture<EventStream> open() {
    return open(null);
  }

  /**
   * Opens the stream, once. With {@code lastEventId} (an ended stream's {@link #lastEventId()})
   * every subscription resumes from there as with {@code since}. Completes once the connect
   * event arrived, or with a refused stream ({@link #accepted()} false, its refusal in {@link
   * #hello()}); fails when the request fails.
   */
  public synchronized CompletableFuture<EventStream> open(String lastEventId) {
    if (opening) {
      throw new IllegalStateException("a stream opens once: make another to resume");
    }
    opening = true;
    this.lastEventId = lastEventId;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(options, subscriptions))
            .header("Accept", "text/event-stream")
            .GET();
    options.headers().forEach(request::header);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                opened.completeExceptionally(error);
              } else if (response.statusCode() != 200) {
                // A refusal: its JSON, as the first frame of a refused WebSocket.
                hello = Json.parseOrNull(response.body().collect(Collectors.joining("\n")));
                closed.complete(new CloseStatus(response.statusCode(), "refused"));
                opened.complete(this);
              } else {
                lines = response.body();
                Thread reader = new Thread(this::read, "thingpush-event-stream");
                reader.setDaemon(true);
                reader.start();
              }
            });
    return opened;
  }

  /** The stream's URI: the WebSocket's base with http(s), this path, the connect parameters and one sub each. */
  private static URI uri(ConnectOptions options, List<JsonNode> subscriptions) {
    StringBuilder uri =
        new StringBuilder(
            options.toBuilder().path(PATH).build().uri().toString().replaceFirst("^ws", "http"));
    char sep = uri.indexOf("?") < 0 ? '?' : '&';
    for (JsonNode sub : subscriptions) {
      uri.append(sep)
          .append("sub=")
          .append(URLEncoder.encode(Json.text(sub), StandardCharsets.UTF_8));
      sep = '&';
    }
    return URI.create(uri.toString());
  }

  /** Reads events until the stream ends: {@code event:}, {@code id:}, {@code data:}, a blank line. */
  private void read() {
    String type = null;
    String id = null;
    StringBuilder data = null;
    try (Stream<String> stream = lines) {
      for (Iterator<String> it = stream.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          if (data != null) {
            event(type, id, Json.parseOrNull(data.toString()));
          }
          type = null;
          id = null;
          data = null;
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("data:")) {
          String part = line.substring(line.startsWith("data: ") ? 6 : 5);
          data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
        }
        // a comment (":", the server's heartbeat) or an unknown field: nothing to do
      }
      ended(new CloseStatus(CloseStatus.ABNORMAL, "stream ended without a close event"));
    } catch (RuntimeException e) {
      ended(new CloseStatus(CloseStatus.ABNORMAL, String.valueOf(e.getMessage())));
    }
  }

  private void event(String type, String id, JsonNode data) {
    if (id != null) {
      lastEventId = id;
    }
    if ("connect".equals(type)) {
      hello = data;
      opened.complete(this);
      return;
    }
    if ("close".equals(type)) {
      ended(
          new CloseStatus(
              data.path("code").asInt(CloseStatus.ABNORMAL), data.path("reason").asText()));
      return;
    }
    frameListeners.forEach(l -> l.accept(data));
    if (Frames.DOWN_PUB.equals(type)) {
      pushListeners.forEach(l -> l.accept(data));
    }
  }

  private void ended(CloseStatus status) {
    closed.complete(status);
    opened.completeExceptionally(
        new ThingPushClientException("stream ended before its connect event: " + status));
  }

  /** The server's first frame: the connect frame, or a refusal (then the stream is closed). */
  public JsonNode hello() {
    return hello;
  }

  /** Whether the server accepted the stream. */
  public boolean accepted() {
    return hello != null && hello.path("code").asInt() == 200;
  }

  /** The id of the last event that had one, or the one it was opened with: where to resume from. */
  public String lastEventId() {
    return lastEventId;
  }

  /** Every frame after the connect frame: replies ({@code down.subRet}, {@code down.unSubRet}) and pushes. */
  public void onFrame(Consumer<JsonNode> listener) {
    frameListeners.add(listener);
  }

  /** Every {@code down.pub}. */
  public void onPush(Consumer<JsonNode> listener) {
    pushListeners.add(listener);
  }

  /**
   * Completes when the stream ends: with the code and reason of the server's {@code close}
   * event, the HTTP status of a refusal, or {@link CloseStatus#ABNORMAL}.
   */
  public CompletableFuture<CloseStatus> closed() {
    return closed;
  }

  /** Ends the stream from this side. */
  @Override
  public void close() {
    closed.complete(new CloseStatus(1000, "closed by the client"));
    Stream<String> open = lines;
    if (open != null) {
      open.close();
    }
  }
}
