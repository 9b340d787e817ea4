package io.thingpush.server.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.Completions;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog.Appended;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig.PublishKey;
import io.thingpush.server.observe.ServerMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform hands in an already-formed event ({@code code}, {@code device}, {@code payload})
 * with its publish key, over HTTP or NATS alike (docs/publish-api.md): the key is checked, the
 * request read and the event handed to the one dispatcher. Refusals are counted per way in.
 */
public final class PlatformPublish {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformPublish.class);

  private final PublishKeys keys;
  private final Dispatcher dispatcher;
  private final ServerMetrics metrics;

  public PlatformPublish(PublishKeys keys, Dispatcher dispatcher, ServerMetrics metrics) {
    this.keys = keys;
    this.dispatcher = dispatcher;
    this.metrics = metrics;
  }

  /** What a publish came to: the event with its seq, or why it was refused. */
  public record Outcome(Event event, ThingPushException refusal) {
    /** The answer of every way in: {@code {"code":200,"msg":"success","seq":N}} or {@code {code, msg}}. */
    private ObjectNode answer() {
      return refusal == null
          ? Json.object().put("code", 200).put("msg", "success").put("seq", event.seq())
          : Json.object().put("code", refusal.code().code()).put("msg", refusal.message(Lang.EN));
    }

    /**
     * {@link #answer()} as JSON text; a success, the answer of nearly every publish, written
     * without building the tree first.
     */
    public String answerText() {
      return refusal == null
          ? "{\"code\":200,\"msg\":\"success\",\"seq\":" + event.seq() + "}"
          : Json.text(answer());
    }
  }

  /**
   * Publishes the event of a request {@code body} sent with an {@code Authorization} header
   * ({@code null} when none) through {@code source} ({@code http}, {@code nats}). With an
   * {@code idempotencyKey} (the {@code Idempotency-Key} header, {@code null} when none), a request
   * repeating the key of an event stored within the log's repeat window stores nothing and is
   * answered as that event was. Completes once the log holds the event, or as soon as it is
   * refused; never fails.
   */
  public CompletionStage<Outcome> publish(
      String source, String authorization, String idempotencyKey, String body) {
    CompletionStage<Appended> published;
    try {
      // The key first: a caller without one learns nothing about what is wrong with its request.
      PublishKey key = keys.authenticate(authorization);
      published =
          dispatch(
              source, key, IdempotencyKeys.scoped(key, idempotencyKey), Json.parseOrNull(body));
    } catch (ThingPushException e) {
      published = CompletableFuture.failedFuture(e);
    }
    return published.handle(
        (appended, failure) -> {
          if (failure == null) {
            if (appended.repeat()) {
              metrics.repeated(source);
            }
            return new Outcome(appended.event(), null);
          }
          ThingPushException refusal = refusal(Completions.cause(failure));
          metrics.refused(source, refusal.code());
          return new Outcome(null, refusal);
        });
  }

  private CompletionStage<Appended> dispatch(
      String source, PublishKey key, String idempotencyKey, JsonNode request) {
    if (request == null || !request.isObject()) {
      throw bad("body must be a JSON object");
    }
    JsonNode code = request.get("code");
    if (code == null || !code.isTextual()) {
      throw bad("code must be a string");
    }
    SubCode subCode = SubCode.fromWire(code.asText());
    if (subCode == null) {
      throw bad("unknown code " + code.asText());
    }
    RequestDevice device = RequestDevice.of(request);
    return dispatcher.publish(
        source,
        key.tenant(),
        subCode,
        device.productId(),
        device.deviceName(),
        request.get("payload"),
        idempotencyKey);
  }

  /** A malformed request (100006); {@code detail} names the problem. */
  public static ThingPushException bad(String detail) {
    return new ThingPushException(ErrorCode.PARAMETER, detail);
  }

  private static ThingPushException refusal(Throwable cause) {
    if (cause instanceof ThingPushException e) {
      return e;
    }
    LOG.error("publish failed", cause);
    return new ThingPushException(ErrorCode.SYSTEM, null);
  }
}
