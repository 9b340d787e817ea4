package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One open ThingPush WebSocket, obtained from {@link ThingPushClient#connect}.
 *
 * <p>Requests ({@code up.*}) return a future of their reply, correlated through a {@code reqID}
 * the client adds to the request's {@code handler}. Frames that answer no request — pushes,
 * {@code down.unSubRet} with 100012 when a grant is revoked, {@code down.error} of a raw
 * message — go to the listeners.
 *
 * <p>Listeners and the non-async dependents of the returned futures run on the connection's
 * receive thread, one at a time and in frame order: they must not block.
 */
public final class Connection implements AutoCloseable {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final ConnectOptions options;
  private final PendingReplies pending = new PendingReplies();
  private final List<Consumer<JsonNode>> frameListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<JsonNode>> pushListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<JsonNode>> unsolicitedListeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<JsonNode> hello = new CompletableFuture<>();
  private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
  private final AtomicLong lastSeq = new AtomicLong();
  private final Object sendLock = new Object();
  private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);
  private volatile WebSocket socket;

  Connection(ConnectOptions options) {
    this.options = options;
  }

  /** The options this connection was opened with. */
  public ConnectOptions options() {
    return options;
  }

  /** The server's first frame: the success frame, or the refusal sent before closing. */
  public JsonNode hello() {
    return hello.getNow(null);
  }

  /** Whether the first frame said 200, i.e. the server accepted the connection. */
  public boolean accepted() {
    JsonNode first = hello();
    return first != null && first.path("code").asInt() == 200;
  }

  /** The server-assigned {@code connectID}, or null when refused. */
  public String connectID() {
    return hello().path("handler").path("connectID").textValue();
  }

  /** The connection's {@code Traceparent} trace id, or null when refused. */
  public String traceparent() {
    return hello().path("handler").path("Traceparent").textValue();
  }

  // ---- requests

  /** {@code up.sub} of {@code params} under {@code code}; completes with {@code down.subRet}. */
  public CompletableFuture<JsonNode> subscribe(String code, Map<String, ?> params) {
    return subscribe(body(code, params));
  }

  /** {@code up.sub} with a whole body ({@code code, params, since?, snapshot?, throttleMs?}). */
  public CompletableFuture<JsonNode> subscribe(JsonNode body) {
    return request(Frames.UP_SUB, body, null);
  }

  /** {@code up.unSub}; completes with {@code down.unSubRet}. */
  public CompletableFuture<JsonNode> unsubscribe(String code, Map<String, ?> params) {
    return unsubscribe(body(code, params));
  }

  public CompletableFuture<JsonNode> unsubscribe(JsonNode body) {
    return request(Frames.UP_UNSUB, body, null);
  }

  /** {@code up.ping}; completes with {@code down.pong}, which echoes {@code body}. */
  public CompletableFuture<JsonNode> ping(JsonNode body) {
    return request(Frames.UP_PING, body, null);
  }

  /** {@code up.setHandle}: swaps the session's token; completes with {@code down.setHandleRet}. */
  public CompletableFuture<JsonNode> setHandle(String token) {
    ObjectNode body = Json.object();
    body.put("token", token);
    return request(Frames.UP_SET_HANDLE, body, null);
  }

  /**
   * Sends {@code {"type", "handler", "body"}} and completes with the frame that echoes the
   * handler — the reply, or the {@code down.error} the server answered instead. {@code
   * handler} entries are sent as given, plus a {@code reqID} unless one is given; {@code body}
   * null sends no body.
   */
  public CompletableFuture<JsonNode> request(
      String type, JsonNode body, Map<String, String> handler) {
    PendingReplies.Registration reg = pending.register(handler);
    ObjectNode frame = Json.object();
    frame.put("type", type);
    frame.set("handler", reg.handler());
    if (body != null) {
      frame.set("body", body);
    }
    enqueue(ws -> ws.sendText(Json.text(frame), true))
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                pending.fail(reg.reqID(), error);
              }
            });
    return reg.reply();
  }

  // ---- what was received

  /** Calls {@code listener} with every frame received from now on (after the first). */
  public void onFrame(Consumer<JsonNode> listener) {
    frameListeners.add(Objects.requireNonNull(listener));
  }

  /** Calls {@code listener} with every {@code down.pub} received from now on. */
  public void onPush(Consumer<JsonNode> listener) {
    pushListeners.add(Objects.requireNonNull(listener));
  }

  /** Calls {@code listener} with every non-push frame that answers no request. */
  public void onUnsolicited(Consumer<JsonNode> listener) {
    unsolicitedListeners.add(Objects.requireNonNull(listener));
  }

  /**
   * The highest {@code seq} of the pushes received, 0 when none. Not where every subscription
   * resumes from: {@link ReconnectingClient} keeps a position per subscription.
   */
  public long lastSeq() {
    return lastSeq.get();
  }

  // ---- closing

  /** Completes with the close code and reason once the connection is closed. */
  public CompletableFuture<CloseStatus> closed() {
    return closed;
  }

  public boolean isOpen() {
    return !closed.isDone();
  }

  /** Closes with 1000, waits briefly for the server's close, then drops the socket. */
  @Override
  public void close() {
    WebSocket ws = socket;
    if (ws == null || closed.isDone()) {
      return;
    }
    enqueue(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
    try {
      closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the server did not answer the close in time: drop the socket below
    } finally {
      ws.abort();
    }
  }

  /**
   * Drops the socket at once, without a closing handshake: for a link found dead, where a
   * close would wait for an answer that never comes. The connection ends as 1006.
   */
  void abort(String reason) {
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    ended(new CloseStatus(CloseStatus.ABNORMAL, reason));
  }

  // ---- plumbing

  /** Completes with this connection once the server's first frame arrived. */
  CompletableFuture<Connection> opened() {
    return hello.thenApply(first -> this);
  }

  WebSocket.Listener listener() {
    return new Receiver();
  }

  private static ObjectNode body(String code, Map<String, ?> params) {
    ObjectNode body = Json.object();
    body.put("code", code);
    body.set("params", Json.MAPPER.valueToTree(params));
    return body;
  }

  /** Chains sends: the JDK WebSocket allows one outstanding send at a time. */
  private CompletableFuture<Void> enqueue(
      java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
    synchronized (sendLock) {
      WebSocket ws = socket;
      if (ws == null) {
        return CompletableFuture.failedFuture(new ThingPushClientException("not open"));
      }
      CompletableFuture<Void> result =
          sendTail
              .handle((ignored, error) -> null)
              .thenCompose(x -> send.apply(ws))
              .thenApply(x -> null);
      sendTail = result;
      return result;
    }
  }

  private void received(String text) {
    JsonNode frame = Json.parseOrNull(text);
    if (frame == null) {
      frame = TextNode.valueOf(text);
    }
    if (!hello.isDone()) {
      hello.complete(frame);
      return;
    }
    boolean push = Frames.DOWN_PUB.equals(frame.path("type").textValue());
    if (push) {
      lastSeq.accumulateAndGet(frame.path("seq").asLong(), Math::max);
    }
    for (Consumer<JsonNode> l : frameListeners) {
      l.accept(frame);
    }
    if (push) {
      for (Consumer<JsonNode> l : pushListeners) {
        l.accept(frame);
      }
    } else if (!pending.complete(frame)) {
      for (Consumer<JsonNode> l : unsolicitedListeners) {
        l.accept(frame);
      }
    }
  }

  private void ended(CloseStatus status) {
    ThingPushClientException cause = new ThingPushClientException("connection closed: " + status);
    hello.completeExceptionally(cause);
    pending.failAll(cause);
    closed.complete(status);
  }

  private final class Receiver implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        received(message);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.request(1); // the server sends text only; a binary frame is ignored
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      ended(new CloseStatus(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      ended(new CloseStatus(CloseStatus.ABNORMAL, String.valueOf(error)));
    }
  }
}
