package io.thingpush.core.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The requests sent to devices that wait for their reply, by device and {@code msgToken}; each
 * with what its reply needs to know of it ({@code C}). A request whose reply did not come in time
 * fails with a {@link java.util.concurrent.TimeoutException} and is forgotten.
 */
final class PendingReplies<C> {
  private record Waiting<C>(C request, CompletableFuture<ObjectNode> reply) {}

  private final ConcurrentHashMap<String, Waiting<C>> pending = new ConcurrentHashMap<>();

  /** Waits for the reply to {@code request}, sent with {@code msgToken}. */
  CompletableFuture<ObjectNode> await(
      String productId, String deviceName, String msgToken, C request, Duration timeout) {
    String key = key(productId, deviceName, msgToken);
    CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
    pending.put(key, new Waiting<>(request, reply));
    reply
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> pending.remove(key));
    return reply;
  }

  /** A device answered {@code msgToken}: completes the waiting request and returns it, or null when none waits. */
  C answered(String productId, String deviceName, String msgToken, ObjectNode reply) {
    Waiting<C> waiting = pending.remove(key(productId, deviceName, msgToken));
    if (waiting == null) {
      return null;
    }
    waiting.reply().complete(reply);
    return waiting.request();
  }

  private static String key(String productId, String deviceName, String msgToken) {
    return productId + "/" + deviceName + "/" + msgToken;
  }
}
