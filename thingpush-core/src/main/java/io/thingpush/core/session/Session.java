package io.thingpush.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.auth.Principal;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceGrant;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.User;
import io.thingpush.core.events.Completions;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.fanout.Recipient;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.LogSafe;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.SubscribeRequest;
import io.thingpush.protocol.Target;
import io.thingpush.protocol.ThingPushException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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

  private final Sessions sessions;
  private final Recipient recipient;
  private ConnectRequest request;
  private final String connectId;
  private final String traceparent;
  private final long openedAt;
  private final RateLimiter rate;
  // The {shareDevice: true} subscriptions, which registry changes route from another thread.
  private final List<Subscription> shares = new CopyOnWriteArrayList<>();
  // Read by registry changes on other threads (shared devices follow it).
  private volatile Principal principal;
  private ScheduledFuture<?> expiry;

  Session(
      Sessions sessions,
      Recipient recipient,
      Principal principal,
      ConnectRequest request,
      String connectId,
      String traceparent,
      long openedAt) {
    this.sessions = sessions;
    this.recipient = recipient;
    this.principal = principal;
    this.request = request;
    this.connectId = connectId;
    this.traceparent = traceparent;
    this.openedAt = openedAt;
    SessionLimits limits = sessions.limits();
    this.rate =
        new RateLimiter(limits.messagesPerSecond(), limits.messageBurst(), limits.excessCloseMillis(), System.nanoTime());
  }

  void start() {
    scheduleExpiry();
    log(Level.INFO).log("{} opened: tenant={} user={} app={} project={}", this, LogSafe.of(principal.tenantCode()),
        LogSafe.of(principal.userId()), LogSafe.of(request.app()), LogSafe.of(request.projectId()));
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

  /** What this connection is now, for the operator view. Runs on the connection's executor. */
  public ConnectionInfo describe() {
    List<ConnectionInfo.Held> held = new ArrayList<>();
    for (Subscription subscription : recipient.subscriptions()) {
      held.add(new ConnectionInfo.Held(subscription.key().code().wire(), subscription.params()));
    }
    return new ConnectionInfo(connectId, principal.tenantCode(), principal.userId(), request.app(),
        request.projectId(), openedAt, held, recipient.queuedFrames());
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
      if (!sessions.authoriser().isReadable(principal, key.target())) {
        end(key);
        log(Level.INFO).log("{} subscription ended, no longer readable: {} {}", this, key.code().wire(),
            LogSafe.of(subscription.params()));
        recipient.writeAndFlush(Frames.subscriptionEnded(lang(), key.code().wire(), subscription.params()));
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
    User user = sessions.directory().user(principal.userId()).orElse(null);
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

  /** A message that is not text (binary, or not UTF-8): the API speaks JSON text only. */
  public void onUnreadable(String why) {
    if (admitted(null)) {
      error(ErrorCode.PARAMETER, why, null);
    }
  }

  /** The connection is gone, whoever closed it. */
  public void onClosed() {
    recipient.onClosed();
    if (expiry != null) {
      expiry.cancel(false);
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
   * Adds the subscription, then answers once its events reach this node, followed by what
   * {@code since} replays or {@code snapshot} sends. The reply's {@code seq} is the seam: live
   * events after it follow, those up to it were replayed (or were before the subscription).
   * Live events wait behind the reply and replay, so the seam has no gap and no duplicate.
   * Without NATS (embedded mode) every step is already done and all happens now.
   */
  private void subscribe(JsonNode body, JsonNode handler) {
    SubscribeRequest sub;
    Subscription subscription;
    boolean added;
    try {
      sub = SubscribeRequest.parse(body, request.projectId());
      sessions.authoriser().checkReadable(principal, sub.target());
      SubKey key = new SubKey(sub.code(), sub.target().interned());
      subscription = recipient.subscription(key);
      if (subscription == null && recipient.subscriptions().size() >= sessions.limits().subscriptionsPerConnection()) {
        throw new ThingPushException(ErrorCode.LIMIT, "at most "
            + sessions.limits().subscriptionsPerConnection() + " subscriptions per connection");
      }
      long throttleMillis = sub.throttleMs() == null ? 0 : sub.throttleMs();
      added = subscription == null;
      if (added) {
        subscription = new Subscription(key, sub.params(), throttleMillis);
        sessions.hub().subscribe(recipient, subscription);
        if (subscription.shares() != null) {
          // Listed before it is routed: a registry change meanwhile routes it again, from the newest grants.
          shares.add(subscription);
          followShares(subscription);
        }
      } else {
        subscription.throttleMillis(throttleMillis);
      }
    } catch (ThingPushException e) {
      refuse(Frames.DOWN_SUB_RET, handler, e);
      return;
    }
    Subscription subscribed = subscription;
    recipient.pauseLive();
    // The head is read once this node receives the key's events: every later one arrives live.
    CompletionStage<Backfill> backfill = sessions.hub().whenReceiving(subscribed)
        .thenCompose(receiving -> sessions.log().head())
        .thenCompose(head -> backfill(sub, subscribed, head));
    onExecutor(backfill, (done, error) -> {
      try {
        if (error != null) {
          log(Level.WARN).log("{} up.sub not settled: {}", this, LogSafe.of(error));
          if (added) {
            end(subscribed.key());
          }
          refuse(Frames.DOWN_SUB_RET, handler, new ThingPushException(ErrorCode.SYSTEM, "cluster unavailable"));
          return;
        }
        done.startLive(subscribed);
        ObjectNode frame = Frames.ok(Frames.DOWN_SUB_RET, lang(), handler);
        frame.put("seq", subscribed.seam());
        if (done.recovered() != null) {
          frame.put("recovered", done.recovered());
        }
        recipient.writeAndFlush(Json.bytes(frame));
        for (Event event : done.replay()) {
          recipient.writeReplayed(event, subscribed.key());
        }
        for (byte[] push : done.snapshot()) {
          recipient.writeSnapshot(push);
        }
        recipient.flush();
      } finally {
        recipient.resumeLive();
      }
    });
  }

  /** What comes between the reply and the live stream, read up to the log's {@code head}. */
  private CompletionStage<Backfill> backfill(SubscribeRequest sub, Subscription subscription, long head) {
    if (sub.since() != null) {
      return history(subscription, sub.since(), head).thenCompose(history -> {
        if (history.complete() || !sub.snapshot()) {
          return CompletableFuture.completedFuture(Backfill.replay(history.complete(), history.events(), sub.since(), head));
        }
        return snapshot(subscription, head, false);
      });
    }
    if (sub.snapshot()) {
      return snapshot(subscription, head, null);
    }
    return CompletableFuture.completedFuture(Backfill.none(head));
  }

  /** The held events of a subscription after {@code since}: for shares, those of each shared device, merged. */
  private CompletionStage<EventLog.History> history(Subscription subscription, long since, long head) {
    if (subscription.shares() == null) {
      return sessions.log().read(subscription.key(), since, head);
    }
    List<CompletableFuture<EventLog.History>> reads = subscription.shares().current().stream()
        .map(route -> sessions.log().read(route, since, head).toCompletableFuture()).toList();
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<Event> events = new ArrayList<>();
      boolean complete = true;
      for (CompletableFuture<EventLog.History> read : reads) {
        events.addAll(read.join().events());
        complete &= read.join().complete();
      }
      events.sort(Comparator.comparingLong(Event::seq));
      return new EventLog.History(events, complete);
    });
  }

  private CompletionStage<Backfill> snapshot(Subscription subscription, long head, Boolean recovered) {
    SubKey key = subscription.key();
    List<Device> devices = subscription.shares() == null
        ? Snapshot.devices(sessions.directory(), key.target()) : sharedDevices();
    return sessions.latest().read(devices, head).thenApply(values ->
        Backfill.snapshot(recovered, Snapshot.frames(devices, values, key, lang()), values.upTo()));
  }

  /** Routes each {@code {shareDevice: true}} subscription to the devices shared with the user now (any thread). */
  void followShares() {
    for (Subscription subscription : shares) {
      followShares(subscription);
    }
  }

  private void followShares(Subscription subscription) {
    SubCode code = subscription.key().code();
    sessions.hub().follow(recipient, subscription, () -> {
      Set<SubKey> routes = new HashSet<>();
      for (Device device : sharedDevices()) {
        routes.add(new SubKey(code, Target.sharedDevice(device.productId(), device.deviceName())));
      }
      return routes;
    });
  }

  /** The devices shared with the user, by the current registry. */
  private List<Device> sharedDevices() {
    Principal user = principal;
    Directory dir = sessions.directory();
    List<Device> devices = new ArrayList<>();
    for (DeviceGrant share : dir.sharedWith(user.tenantCode(), user.userId())) {
      dir.device(share.productId(), share.deviceName()).ifPresent(devices::add);
    }
    return devices;
  }

  /** Ends a subscription, wherever it is routed. */
  private void end(SubKey key) {
    Subscription ended = recipient.subscription(key);
    if (sessions.hub().unsubscribe(recipient, key) && ended.shares() != null) {
      shares.remove(ended);
    }
  }

  /** Runs {@code then} on this connection's thread: now when {@code stage} is done, else when it is. */
  private <T> void onExecutor(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    BiConsumer<T, Throwable> unwrapped =
        (value, error) -> then.accept(value, error == null ? null : Completions.cause(error));
    if (future.isDone()) {
      future.whenComplete(unwrapped);
    } else {
      future.whenCompleteAsync(unwrapped, recipient.executor());
    }
  }

  private void refuse(String type, JsonNode handler, ThingPushException e) {
    log(Level.DEBUG).log("{} {} refused: {}", this, type, LogSafe.of(e.getMessage()));
    recipient.writeAndFlush(Json.bytes(Frames.failure(type, lang(), e, handler)));
  }

  private Reply unsubscribe(JsonNode body) {
    SubscribeRequest sub = SubscribeRequest.parse(body, request.projectId());
    end(new SubKey(sub.code(), sub.target()));
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
    Function<String, String> handle = name -> {
      JsonNode value = handler == null ? null : handler.get(name);
      return value != null && value.isTextual() ? value.textValue() : null;
    };
    ConnectParams params = sessions.params();
    String token = bodyToken != null ? bodyToken.textValue() : params.handlerToken(handle);
    boolean switchesProject = params.handlerNamesProject(handle);
    if (token == null && !switchesProject) {
      throw new ThingPushException(ErrorCode.PARAMETER,
          "body.token, or handler ithings-token or ithings-project-id, is required");
    }
    Principal next = token == null ? principal : sessions.tokens().verify(token);
    if (!next.sameUser(principal)) {
      throw new ThingPushException(ErrorCode.FORBIDDEN, "token of another user or tenant");
    }
    ConnectRequest nextRequest = switchesProject ? request.withProject(params.handlerProjectId(handle)) : request;
    sessions.admit(next, nextRequest);
    principal = next;
    request = nextRequest;
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
    recipient.writeAndFlush(Json.bytes(Frames.failure(Frames.DOWN_ERROR, lang(), e, handler)));
  }

  private Lang lang() {
    return recipient.lang();
  }

  /** A log line about this connection, with its connectID and Traceparent as key-value pairs. */
  private LoggingEventBuilder log(Level level) {
    return ConnectionLog.at(LOG, level, connectId, traceparent);
  }

  @Override
  public String toString() {
    return "connectID=" + connectId + " Traceparent=" + traceparent;
  }

  /** A success reply (null frame: the plain one). */
  private record Reply(ObjectNode frame) {
    static final Reply OK = new Reply(null);
  }

  /**
   * What a subscribe sends between its reply and the live stream: a replay or a snapshot, and
   * the seq up to which they cover the subscription, its seam (live events up to it are
   * skipped); a subscribe with neither starts live after the head. {@code replayedAfter} is the
   * {@code since} of a replay, {@code upTo} for a snapshot (nothing replayed), -1 when nothing
   * was sent. {@code recovered} is null without {@code since}.
   */
  private record Backfill(Boolean recovered, List<Event> replay, List<byte[]> snapshot, long upTo, long replayedAfter) {
    static Backfill none(long head) {
      return new Backfill(null, List.of(), List.of(), head, -1);
    }

    static Backfill replay(boolean recovered, List<Event> events, long since, long head) {
      return new Backfill(recovered, events, List.of(), head, since);
    }

    static Backfill snapshot(Boolean recovered, List<byte[]> frames, long upTo) {
      return new Backfill(recovered, List.of(), frames, upTo, upTo);
    }

    /** Sets where the subscription's live stream starts: after what this backfill covered. */
    void startLive(Subscription subscription) {
      if (replayedAfter < 0) {
        subscription.startLiveAfter(upTo);
      } else {
        subscription.startLiveAfterReplay(upTo, replayedAfter);
      }
    }
  }

  @FunctionalInterface
  private interface ReplyAction {
    Reply run();
  }
}
