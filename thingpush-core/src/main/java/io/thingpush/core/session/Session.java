package io.thingpush.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.auth.Principal;
import io.thingpush.core.directory.User;
import io.thingpush.core.events.Completions;
import io.thingpush.core.fanout.Recipient;
import io.thingpush.core.filter.Filter;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.core.time.Deadlines;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.LogSafe;
import io.thingpush.protocol.SubscribeRequest;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One client connection's conversation (SPEC §2): reads its messages, answers each, holds its
 * token and subscriptions. Confined to the connection's executor.
 */
public final class Session {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private final SessionContext context;
  private final Sessions sessions;
  private final Recipient recipient;
  private final ConnectionSubscriptions subscriptions;
  private ConnectRequest request;
  // Kept as numbers, written out for log lines and replies only: every connection holds them.
  private final long connectId;
  private final long traceHigh;
  private final long traceLow;
  private final long openedAt;
  private final RateLimiter rate;
  // Read by registry changes on other threads (shared devices follow it).
  private volatile Principal principal;
  // When its token expires; null when it never does.
  private Deadlines.Entry<Session> expiry;
  // Answers to messages that came while a filter compiled; null when none is compiling.
  private Deque<Runnable> waiting;

  Session(
      SessionContext context,
      Sessions sessions,
      Recipient recipient,
      Principal principal,
      ConnectRequest request,
      long connectId,
      TraceId trace,
      long openedAt) {
    this.context = context;
    this.sessions = sessions;
    this.recipient = recipient;
    this.subscriptions = new ConnectionSubscriptions(context, recipient, () -> this.principal);
    this.principal = principal;
    this.request = request;
    this.connectId = connectId;
    this.traceHigh = trace.high();
    this.traceLow = trace.low();
    this.openedAt = openedAt;
    this.rate = new RateLimiter(sessions.messageRate(), context.clock().nanoTime());
  }

  void start() {
    scheduleExpiry();
    log(Level.INFO)
        .log(
            "{} opened: tenant={} user={} app={} project={}",
            this,
            LogSafe.of(principal.tenantCode()),
            LogSafe.of(principal.userId()),
            LogSafe.of(request.app()),
            LogSafe.of(request.projectId()));
  }

  public String connectId() {
    return Long.toString(connectId);
  }

  public String traceparent() {
    return new TraceId(traceHigh, traceLow).toString();
  }

  public Principal principal() {
    return principal;
  }

  public Recipient recipient() {
    return recipient;
  }

  /** What this connection is now, for the operator view. Runs on the connection's executor. */
  public ConnectionInfo describe() {
    List<ConnectionInfo.Held> held = new ArrayList<>();
    for (Subscription subscription : recipient.subscriptions()) {
      held.add(
          new ConnectionInfo.Held(
              subscription.key().code().wire(), subscription.params(), subscription.filterText()));
    }
    return new ConnectionInfo(
        connectId(),
        principal.tenantCode(),
        principal.userId(),
        request.app(),
        request.projectId(),
        openedAt,
        held,
        recipient.queuedFrames());
  }

  /**
   * Ends each subscription the user may no longer hold (the registry changed): the client gets
   * a {@code down.unSubRet} with 100012 for each. Runs on the connection's executor.
   */
  void recheckSubscriptions() {
    if (recipient.isClosed() || !followRegisteredUser()) {
      return;
    }
    for (Subscription subscription : List.copyOf(recipient.subscriptions())) {
      SubKey key = subscription.key();
      if (!context.authoriser().isReadable(principal, key.target())) {
        subscriptions.end(subscription);
        log(Level.INFO)
            .log(
                "{} subscription ended, no longer readable: {} {}",
                this,
                key.code().wire(),
                LogSafe.of(subscription.params()));
        recipient.writeAndFlush(
            Frames.subscriptionEnded(
                lang(), key.code().wire(), subscription.params(), subscription.filterText()));
      }
    }
  }

  /**
   * A user whose tenant and admin flag are the registry's holds the registry's current ones; one
   * the registry no longer knows is refused as at connect. False when the session closed.
   */
  private boolean followRegisteredUser() {
    if (!principal.registered()) {
      return true;
    }
    User user = context.directory().get().user(principal.userId()).orElse(null);
    if (user == null || !user.tenantCode().equals(principal.tenantCode())) {
      close(CloseCode.FORBIDDEN, "user unknown to the registry");
      return false;
    }
    if (user.admin() != principal.admin()) {
      principal = principal.registered(user.tenantCode(), user.admin());
      log(Level.INFO).log("{} admin flag now {}", this, user.admin());
    }
    return true;
  }

  /** A text message from the client. */
  public void onText(String text) {
    JsonNode message = Json.parseOrNull(text);
    JsonNode handler = message != null && message.isObject() ? message.get("handler") : null;
    if (admitted(handler)) {
      inOrder(() -> answer(message, handler));
    }
  }

  /**
   * Runs the answer to a message now, or after the filter being compiled for an earlier {@code
   * up.sub}: messages are answered in the order they came (an {@code up.unSub} right behind its
   * {@code up.sub} finds the subscription). What waits is bounded by the message rate.
   */
  private void inOrder(Runnable answer) {
    if (waiting != null) {
      waiting.add(answer);
    } else {
      answer.run();
    }
  }

  /** Answers what waited for a filter, until one of them waits for another. */
  private void answerWaiting() {
    Deque<Runnable> queued = waiting;
    waiting = null;
    Runnable next;
    while (waiting == null && (next = queued.poll()) != null) {
      next.run();
    }
    if (waiting != null) {
      waiting.addAll(queued);
    }
  }

  private void answer(JsonNode message, JsonNode handler) {
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
      case Frames.UP_SUB -> subscribe(body, handler);
      case Frames.UP_UNSUB -> reply(Frames.DOWN_UNSUB_RET, handler, () -> unsubscribe(body));
      case Frames.UP_PING -> reply(Frames.DOWN_PONG, handler, () -> pong(body, handler));
      case Frames.UP_SET_HANDLE -> {
        if (reply(Frames.DOWN_SET_HANDLE_RET, handler, () -> setHandle(body, handler))) {
          // The new token's rights apply at once: what it no longer allows ends now.
          recheckSubscriptions();
        }
      }
      default -> error(ErrorCode.METHOD_NOT_SUPPORTED, "unknown type " + type.asText(), handler);
    }
  }

  /**
   * A subscription the connection asked for as it opened (an event stream's {@code sub}
   * parameters): answered as an {@code up.sub} with this body, without a {@code handler}, and not
   * counted against the message rate.
   */
  public void subscribeAtConnect(JsonNode body) {
    inOrder(() -> subscribe(body, null));
  }

  /** A message that is not text (binary, or not UTF-8): the API speaks JSON text only. */
  public void onUnreadable(String why) {
    if (admitted(null)) {
      inOrder(() -> error(ErrorCode.PARAMETER, why, null));
    }
  }

  /** The connection is gone, whoever closed it. */
  public void onClosed() {
    recipient.onClosed();
    if (expiry != null) {
      sessions.expiries().cancel(this, expiry);
    }
    sessions.closed(this);
    log(Level.INFO).log("{} closed", this);
  }

  /** Closes once what is queued has been sent (graceful shutdown). */
  public void drain(CloseCode code, String reason) {
    log(Level.INFO).log("{} draining: {} {}", this, code.code(), LogSafe.of(reason));
    recipient.drainThenClose(code, reason);
  }

  /** Ends the session from the server side. */
  public void close(CloseCode code, String reason) {
    log(Level.INFO).log("{} closing: {} {}", this, code.code(), LogSafe.of(reason));
    recipient.close(code, reason);
  }

  private boolean admitted(JsonNode handler) {
    switch (rate.acquire(context.clock().nanoTime())) {
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

  /** Runs an action that builds the success reply, or answers its refusal; true when it succeeded. */
  private boolean reply(String type, JsonNode handler, ReplyAction action) {
    ObjectNode reply;
    try {
      Reply result = action.run();
      reply = result.frame == null ? Frames.ok(type, lang(), handler) : result.frame;
    } catch (ThingPushException e) {
      refuse(type, handler, e);
      return false;
    }
    recipient.writeAndFlush(Json.bytes(reply));
    return true;
  }

  /**
   * An {@code up.sub}: its params and the user's right to read them are checked here, then the
   * connection's subscriptions take it; the reply names the seam ({@code seq}) and, after a
   * {@code since}, whether it was recovered.
   */
  private void subscribe(JsonNode body, JsonNode handler) {
    SubscribeRequest sub;
    try {
      sub = SubscribeRequest.parse(body, request.projectId());
    } catch (ThingPushException e) {
      refuse(Frames.DOWN_SUB_RET, handler, e);
      return;
    }
    if (sub.filter() == null) {
      subscribe(sub, null, handler);
      return;
    }
    // A filter not compiled lately compiles off this thread; later messages wait for it.
    CompletableFuture<Filter> compiled =
        context.filters().compile(sub.code(), sub.filter(), context.compiles());
    boolean waits = !compiled.isDone();
    if (waits) {
      waiting = new ArrayDeque<>();
    }
    BiConsumer<Filter, Throwable> then =
        (filter, error) -> {
          if (recipient.isClosed()) {
            return;
          }
          Throwable cause = error == null ? null : Completions.cause(error);
          if (cause == null) {
            subscribe(sub, filter, handler);
          } else {
            refuse(
                Frames.DOWN_SUB_RET,
                handler,
                cause instanceof ThingPushException refused
                    ? refused
                    : new ThingPushException(ErrorCode.SYSTEM, "filter not compiled"));
          }
          if (waits) {
            answerWaiting();
          }
        };
    if (waits) {
      compiled.whenCompleteAsync(then, recipient.executor());
    } else {
      compiled.whenComplete(then);
    }
  }

  /** Subscribes with a parsed request and its compiled filter (null: none), as above. */
  private void subscribe(SubscribeRequest sub, Filter filter, JsonNode handler) {
    try {
      context.authoriser().checkReadable(principal, sub.target());
      subscriptions.subscribe(
          sub,
          filter,
          new ConnectionSubscriptions.Answer() {
            @Override
            public void subscribed(long seq, Boolean recovered) {
              ObjectNode frame = Frames.ok(Frames.DOWN_SUB_RET, lang(), handler);
              frame.put("seq", seq);
              if (recovered != null) {
                frame.put("recovered", recovered);
              }
              recipient.writeAndFlush(Json.bytes(frame));
            }

            @Override
            public void failed(Throwable cause) {
              log(Level.WARN).log("{} up.sub not settled: {}", Session.this, LogSafe.of(cause));
              refuse(
                  Frames.DOWN_SUB_RET,
                  handler,
                  new ThingPushException(ErrorCode.SYSTEM, "cluster unavailable"));
            }
          });
    } catch (ThingPushException e) {
      refuse(Frames.DOWN_SUB_RET, handler, e);
    }
  }

  /** Routes each {@code {shareDevice: true}} subscription to the devices shared with the user now (any thread). */
  void followShares() {
    subscriptions.followShares();
  }

  private void refuse(String type, JsonNode handler, ThingPushException e) {
    log(Level.DEBUG).log("{} {} refused: {}", this, type, LogSafe.of(e.getMessage()));
    recipient.writeAndFlush(Json.bytes(Frames.failure(type, lang(), e, handler)));
  }

  private Reply unsubscribe(JsonNode body) {
    SubscribeRequest sub = SubscribeRequest.parse(body, request.projectId());
    Subscription held = recipient.subscription(new SubKey(sub.code(), sub.target()), sub.filter());
    if (held != null) {
      subscriptions.end(held);
    }
    return Reply.OK;
  }

  private Reply pong(JsonNode body, JsonNode handler) {
    ObjectNode frame = Frames.ok(Frames.DOWN_PONG, lang(), handler);
    frame.set("body", body);
    return new Reply(frame);
  }

  /**
   * Swaps the token and/or switches the default project: {@code body.token}, or (as i-Things
   * clients send it) {@code handler}'s {@code ithings-token}/{@code token} and
   * {@code ithings-project-id}/{@code project-id}. Both are checked as at connect; a refusal keeps
   * the old ones.
   */
  private Reply setHandle(JsonNode body, JsonNode handler) {
    JsonNode bodyToken = body == null || body.isNull() ? null : body.get("token");
    if (bodyToken != null && !bodyToken.isTextual()) {
      throw new ThingPushException(ErrorCode.PARAMETER, "body.token must be a string");
    }
    Function<String, String> handle =
        name -> {
          JsonNode value = handler == null ? null : handler.get(name);
          return value != null && value.isTextual() ? value.textValue() : null;
        };
    ConnectParams params = context.params();
    String token = bodyToken != null ? bodyToken.textValue() : params.handlerToken(handle);
    boolean switchesProject = params.handlerNamesProject(handle);
    if (token == null && !switchesProject) {
      throw new ThingPushException(
          ErrorCode.PARAMETER,
          "body.token, or handler ithings-token or ithings-project-id, is required");
    }
    Principal next = token == null ? principal : context.tokens().verify(token);
    if (!next.sameUser(principal)) {
      throw new ThingPushException(ErrorCode.FORBIDDEN, "token of another user or tenant");
    }
    ConnectRequest nextRequest =
        switchesProject ? request.withProject(params.handlerProjectId(handle)) : request;
    sessions.admit(next, nextRequest);
    principal = sessions.held(next);
    request = sessions.held(nextRequest, principal);
    if (token != null) {
      scheduleExpiry();
      log(Level.INFO).log("{} token replaced, expires {}", this, next.expiresAt());
    }
    if (switchesProject) {
      log(Level.INFO).log("{} project switched to {}", this, LogSafe.of(request.projectId()));
    }
    return Reply.OK;
  }

  private void scheduleExpiry() {
    TokenExpiries expiries = sessions.expiries();
    if (expiry != null) {
      expiries.cancel(this, expiry);
    }
    Instant expiresAt = principal.expiresAt();
    expiry = expiresAt == null ? null : expiries.closeAt(this, expiresAt);
  }

  /** Its token expired: {@link TokenExpiries} calls this on the connection's executor. */
  void tokenExpired() {
    close(CloseCode.TOKEN, "token expired");
  }

  private void error(ErrorCode code, String detail, JsonNode handler) {
    ThingPushException e = new ThingPushException(code, detail);
    recipient.writeAndFlush(Json.bytes(Frames.failure(Frames.DOWN_ERROR, lang(), e, handler)));
  }

  private Lang lang() {
    return recipient.lang();
  }

  /** A log line about this connection, with its connectID and Traceparent as key-value pairs. */
  private LoggingEventBuilder log(Level level) {
    return ConnectionLog.at(LOG, level, connectId(), traceparent());
  }

  @Override
  public String toString() {
    return "connectID=" + connectId + " Traceparent=" + traceparent();
  }

  /** A success reply (null frame: the plain one). */
  private record Reply(ObjectNode frame) {
    static final Reply OK = new Reply(null);
  }

  @FunctionalInterface
  private interface ReplyAction {
    Reply run();
  }
}
