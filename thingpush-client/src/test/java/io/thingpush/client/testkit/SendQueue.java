package io.thingpush.client.testkit;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A connection's socket with every send in one queue: the JDK WebSocket takes one send at a time,
 * and the raw sends of a test go on the same socket as the connection's own requests.
 */
final class SendQueue implements WebSocket {
  private final WebSocket socket;
  private CompletableFuture<WebSocket> tail = CompletableFuture.completedFuture(null);

  SendQueue(WebSocket socket) {
    this.socket = socket;
  }

  /** Queues {@code send} after every send queued before it, whether those went out or failed. */
  synchronized CompletableFuture<WebSocket> enqueue(Supplier<CompletableFuture<WebSocket>> send) {
    tail = tail.handle((ignored, error) -> null).thenCompose(x -> send.get()).thenApply(ws -> this);
    return tail;
  }

  /** One text message in {@code parts.length} frames, with nothing else sent between them. */
  synchronized CompletableFuture<WebSocket> sendFragments(String... parts) {
    CompletableFuture<WebSocket> last = null;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean isLast = i == parts.length - 1;
      last = enqueue(() -> socket.sendText(part, isLast));
    }
    return last;
  }

  @Override
  public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
    return enqueue(() -> socket.sendText(data, last));
  }

  @Override
  public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
    return enqueue(() -> socket.sendBinary(data, last));
  }

  @Override
  public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
    return enqueue(() -> socket.sendPing(message));
  }

  @Override
  public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
    return enqueue(() -> socket.sendPong(message));
  }

  @Override
  public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
    return enqueue(() -> socket.sendClose(statusCode, reason));
  }

  @Override
  public void request(long n) {
    socket.request(n);
  }

  @Override
  public String getSubprotocol() {
    return socket.getSubprotocol();
  }

  @Override
  public boolean isOutputClosed() {
    return socket.isOutputClosed();
  }

  @Override
  public boolean isInputClosed() {
    return socket.isInputClosed();
  }

  @Override
  public void abort() {
    socket.abort();
  }
}
