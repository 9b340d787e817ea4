package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One subscription a {@link ReconnectingClient} holds across reconnects: what it sends again, and
 * the futures waiting for its first reply. Used on the client's thread only.
 */
final class HeldSubscription {
  final String key;
  final String code;
  final ObjectNode params;
  ReconnectingClient.SubscribeOptions options = ReconnectingClient.SubscribeOptions.NONE;

  /** Answered with 200 at least once: a later refusal is a revocation. */
  boolean active;

  private final List<CompletableFuture<JsonNode>> waiters = new ArrayList<>();

  HeldSubscription(String code, ObjectNode params) {
    this.key = key(code, params);
    this.code = code;
    this.params = params;
  }

  /** A subscription's identity: code and params compared as strings, in key order. */
  static String key(String code, JsonNode params) {
    Map<String, String> sorted = new TreeMap<>();
    params.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    return code + " " + sorted;
  }

  /** The {@code up.sub} body, resuming after {@code since} when not null. */
  ObjectNode body(Long since) {
    ObjectNode body = Json.object().put("code", code);
    body.set("params", params);
    if (since != null) {
      body.put("since", since);
    }
    if (options.snapshot()) {
      body.put("snapshot", true);
    }
    if (options.throttleMs() != null) {
      body.put("throttleMs", options.throttleMs());
    }
    return body;
  }

  /** A future completed by the next reply to this subscription. */
  CompletableFuture<JsonNode> firstReply() {
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    waiters.add(reply);
    return reply;
  }

  void completeWaiters(JsonNode reply) {
    waiters.forEach(w -> w.complete(reply));
    waiters.clear();
  }

  void failWaiters(Throwable cause) {
    waiters.forEach(w -> w.completeExceptionally(cause));
    waiters.clear();
  }
}
