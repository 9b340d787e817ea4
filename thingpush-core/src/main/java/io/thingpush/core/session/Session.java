package io.thingpush.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.auth.Principal;
import io.thingpush.core.events.Event;
import io.thingpush.core.fanout.Recipient;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubscribeRequest;
import io.thingpush.protocol.ThingPushException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's conversation (SPEC §2): reads its messages, answers each, holds its
 * token and subscriptions. Confined to the connection's executor.
 */
public final class Session {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private final Sessions sessions;
  private final Recipient recipient;
  private final ConnectRequest request;
  private final String connectId;
  private final String traceparent;
  private final RateLimiter rate;
  private Principal principal;
  private ScheduledFuture<?> expiry;

  Session(
      Sessions sessions,
      Recipient recipient,
      Principal principal,
      ConnectRequest request,
      String connectId,
      String traceparent) {
    this.sessions = sessions;
    this.recipient = recipient;
    this.principal = principal;
    this.request = request;
    this.connectId = connectId;
    this.traceparent = traceparent;
    SessionLimits limits = sessions.limits();
    this.rate =
        new RateLimiter(limits.messagesPerSecond(), limits.messageBurst(), limits.excessCloseMillis(), System.nanoTime());
  }

  void start() {
    scheduleExpiry();
    LOG.info("{} opened: tenant={} user={} app={} project={}", this, principal.tenantCode(),
        principal.userId(), request.appCode(), request.projectId());
  }

  public String connectId() {
    return connectId;
  }

  public String traceparent() {
    return traceparent;
  }

  public Principal principal() {
    return principal;
  }

  public Recipient recipient() {
    return recipient;
  }

  /** A text message from the client. */
  public void onText(String text) {
    JsonNode message = Json.parseOrNull(text);
    JsonNode handler = message != null && message.isObject() ? message.get("handler") : null;
    if (!admitted(handler)) {
      return;
    }
    if (message == null) {
      error(ErrorCode.PARAMETER, "message is not JSON", null);
      return;
    }
    if (!message.isObject()) {
      error(ErrorCode.PARAMETER, "message is not a JSON object", null);
      return;
    }
    JsonNode type = message.get("type");
    if (type == null || !type.isTextual()) {
      error(ErrorCode.PARAMETER, "type must be a string", handler);
      return;
    }
    JsonNode body = message.get("body");
    switch (type.asText()) {
      case Frames.UP_SUB -> reply(Frames.DOWN_SUB_RET, handler, () -> subscribe(body, handler));
      case Frames.UP_UNSUB -> reply(Frames.DOWN_UNSUB_RET, handler, () -> unsubscribe(body));
      case Frames.UP_PING -> reply(Frames.DOWN_PONG, handler, () -> pong(body, handler));
      case Frames.UP_SET_HANDLE -> reply(Frames.DOWN_SET_HANDLE_RET, handler, () -> setHandle(body));
      default -> error(ErrorCode.METHOD_NOT_SUPPORTED, "unknown type " + type.asText(), handler);
    }
  }

  /** A message that is not text (binary, or not UTF-8): the API speaks JSON text only. */
  public void onUnreadable(String why) {
    if (admitted(null)) {
      error(ErrorCode.PARAMETER, why, null);
    }
  }

  /** The connection is gone, whoever closed it. */
  public void onClosed() {
    recipient.closed();
    if (expiry != null) {
      expiry.cancel(false);
    }
    sessions.closed(this);
    LOG.info("{} closed", this);
  }

  /** Ends the session from the server side. */
  public void close(CloseCode code, String reason) {
    LOG.info("{} closing: {} {}", this, code.code(), reason);
    recipient.close(code, reason);
  }

  private boolean admitted(JsonNode handler) {
    switch (rate.acquire(System.nanoTime())) {
      case ALLOW:
        return true;
      case REFUSE:
        error(ErrorCode.LIMIT, "too many messages per second", handler);
        return false;
      default:
        close(CloseCode.LIMIT, "message rate exceeded for too long");
        return false;
    }
  }

  /** Runs an action that builds the success reply, or answers its refusal. */
  private void reply(String type, JsonNode handler, ReplyAction action) {
    ObjectNode reply;
    Runnable after = null;
    try {
      Reply result = action.run();
      reply = result.frame == null ? Frames.ok(type, lang(), handler) : result.frame;
      after = result.after;
    } catch (ThingPushException e) {
      LOG.debug("{} {} refused: {}", this, type, e.getMessage());
      reply = Frames.failure(type, lang(), e, handler);
    }
    recipient.send(Json.bytes(reply));
    if (after != null) {
      after.run();
    }
  }

  private Reply subscribe(JsonNode body, JsonNode handler) {
    SubscribeRequest sub = SubscribeRequest.parse(body, request.projectId());
    sessions.authoriser().checkReadable(principal, sub.target());
    SubKey key = new SubKey(sub.code(), sub.target());
    Subscription subscription = recipient.subscription(key);
    if (subscription == null && recipient.subscriptions().size() >= sessions.limits().subscriptionsPerConnection()) {
      throw new ThingPushException(ErrorCode.LIMIT, "at most "
          + sessions.limits().subscriptionsPerConnection() + " subscriptions per connection");
    }
    long throttleMillis = sub.throttleMs() == null ? 0 : sub.throttleMs();
    if (subscription == null) {
      subscription = new Subscription(key, sub.params(), throttleMillis);
      sessions.hub().subscribe(recipient, subscription);
    } else {
      subscription.throttleMillis(throttleMillis);
    }
    ObjectNode frame = Frames.ok(Frames.DOWN_SUB_RET, lang(), handler);
    Subscription subscribed = subscription;
    if (sub.since() != null) {
      long since = sub.since();
      boolean recovered = since >= sessions.log().oldestSeq() - 1;
      frame.put("recovered", recovered);
      if (recovered || !sub.snapshot()) {
        List<Event> history = sessions.log().after(since);
        return new Reply(frame, () -> replay(subscribed, history));
      }
    }
    if (sub.snapshot()) {
      return new Reply(frame, () -> snapshot(subscribed));
    }
    return new Reply(frame, null);
  }

  private void snapshot(Subscription subscription) {
    long upTo = sessions.latest().recordedUpTo();
    for (byte[] push : Snapshot.frames(sessions.directory(), sessions.latest(), upTo, subscription.key(), lang())) {
      recipient.pushOwn(push);
    }
    subscription.replayedUpTo(upTo);
    recipient.flush();
  }

  private void replay(Subscription subscription, List<Event> history) {
    for (Event event : history) {
      if (event.keys().contains(subscription.key())) {
        recipient.replay(event, subscription.key());
      }
    }
    if (!history.isEmpty()) {
      subscription.replayedUpTo(history.get(history.size() - 1).seq());
    }
    recipient.flush();
  }

  private Reply unsubscribe(JsonNode body) {
    SubscribeRequest sub = SubscribeRequest.parse(body, request.projectId());
    sessions.hub().unsubscribe(recipient, new SubKey(sub.code(), sub.target()));
    return Reply.OK;
  }

  private Reply pong(JsonNode body, JsonNode handler) {
    ObjectNode frame = Frames.ok(Frames.DOWN_PONG, lang(), handler);
    frame.set("body", body);
    return new Reply(frame, null);
  }

  private Reply setHandle(JsonNode body) {
    JsonNode token = body == null ? null : body.get("token");
    if (token == null || !token.isTextual()) {
      throw new ThingPushException(ErrorCode.PARAMETER, "body.token must be a string");
    }
    Principal next = sessions.tokens().verify(token.asText());
    if (!next.sameUser(principal)) {
      throw new ThingPushException(ErrorCode.FORBIDDEN, "token of another user or tenant");
    }
    principal = next;
    scheduleExpiry();
    LOG.info("{} token replaced, expires {}", this, next.expiresAt());
    return Reply.OK;
  }

  private void scheduleExpiry() {
    if (expiry != null) {
      expiry.cancel(false);
    }
    Instant expiresAt = principal.expiresAt();
    if (expiresAt == null) {
      expiry = null;
      return;
    }
    long delay = Math.max(0, Duration.between(sessions.clock().instant(), expiresAt).toMillis());
    expiry = recipient.executor().schedule(
        () -> close(CloseCode.TOKEN, "token expired"), delay, TimeUnit.MILLISECONDS);
  }

  private void error(ErrorCode code, String detail, JsonNode handler) {
    ThingPushException e = new ThingPushException(code, detail);
    recipient.send(Json.bytes(Frames.failure(Frames.DOWN_ERROR, lang(), e, handler)));
  }

  private Lang lang() {
    return recipient.lang();
  }

  @Override
  public String toString() {
    return "connectID=" + connectId + " Traceparent=" + traceparent;
  }

  /** A success reply (null frame: the plain one) and what to send right after it. */
  private record Reply(ObjectNode frame, Runnable after) {
    static final Reply OK = new Reply(null, null);
  }

  @FunctionalInterface
  private interface ReplyAction {
    Reply run();
  }
}
