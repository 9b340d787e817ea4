package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests waiting for their reply, keyed by the {@code reqID} the client puts in each
 * request's {@code handler} (the server echoes the handler on every reply). Pure: no I/O.
 */
final class PendingReplies {
  static final String REQ_ID = "reqID";

  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

  /**
   * The handler to send: the user's entries plus a fresh {@code reqID} (a {@code reqID} the
   * user gave is kept and used to correlate). The reply future is registered under it.
   */
  Registration register(Map<String, String> userHandler) {
    ObjectNode handler = Json.object();
    if (userHandler != null) {
      userHandler.forEach(handler::put);
    }
    String reqID = handler.hasNonNull(REQ_ID) ? handler.get(REQ_ID).asText() : next();
    handler.put(REQ_ID, reqID);
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    if (waiting.putIfAbsent(reqID, reply) != null) {
      throw new IllegalArgumentException("a request with reqID " + reqID + " is still waiting");
    }
    return new Registration(reqID, handler, reply);
  }

  /** Forgets a request whose send failed; its future completes with {@code cause}. */
  void fail(String reqID, Throwable cause) {
    CompletableFuture<JsonNode> reply = waiting.remove(reqID);
    if (reply != null) {
      reply.completeExceptionally(cause);
    }
  }

  /** Completes the request {@code frame} answers; false when it answers none (unsolicited). */
  boolean complete(JsonNode frame) {
    JsonNode reqID = frame.path("handler").path(REQ_ID);
    if (!reqID.isTextual()) {
      return false;
    }
    CompletableFuture<JsonNode> reply = waiting.remove(reqID.asText());
    if (reply == null) {
      return false;
    }
    reply.complete(frame);
    return true;
  }

  /** Fails every waiting request, e.g. when the connection closed. */
  void failAll(Throwable cause) {
    for (String reqID : waiting.keySet()) {
      fail(reqID, cause);
    }
  }

  int size() {
    return waiting.size();
  }

  private String next() {
    String id;
    do {
      id = Long.toString(nextId.getAndIncrement());
    } while (waiting.containsKey(id));
    return id;
  }

  /** A registered request: its id, the handler to send, the future of its reply. */
  record Registration(String reqID, ObjectNode handler, CompletableFuture<JsonNode> reply) {}
}
