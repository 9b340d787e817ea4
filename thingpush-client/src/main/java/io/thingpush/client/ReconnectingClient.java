package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.Json;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A ThingPush client that stays connected: it reconnects with backoff and jitter, subscribes
 * everything again, each with {@code since} = its own position ({@code Positions}: so the app
 * misses nothing the server's history still holds, even of a subscription that had no push
 * yet), pings to notice a dead link, refreshes its token before it expires, and tells the app
 * through a {@link ReconnectListener} when history could not cover the gap ({@code
 * recovered:false}), a subscription was revoked, or the token was refused. The same behaviour
 * as the JavaScript client (thingpush-js).
 *
 * <pre>{@code
 * ReconnectingClient client = ReconnectingClient.builder(options).tokens(myTokenSource).build();
 * client.onPush("deviceConn", push -> show(push.get("body")));
 * client.connect().join();
 * client.subscribe("deviceConn", Map.of("projectID", "p1"), SubscribeOptions.NONE).join();
 * }</pre>
 *
 * <p>All state lives on the client's own thread; listeners and push consumers run there, in
 * frame order, and must not block.
 */
public final class ReconnectingClient implements AutoCloseable {
  public enum State {
    IDLE,
    CONNECTING,
    OPEN,
    RECONNECTING,
    CLOSED
  }

  /** Options of a subscription: {@code snapshot} and {@code throttleMs} (null: none), and the {@code since} of its first subscribe. */
  public record SubscribeOptions(boolean snapshot, Long throttleMs, Long since) {
    public static final SubscribeOptions NONE = new SubscribeOptions(false, null, null);
  }

  private final ConnectOptions options;
  private final HttpClient http;
  private final ReconnectPolicy policy;
  private final Supplier<String> tokens;
  private final ReconnectListener listener;
  private final ScheduledExecutorService loop;
  private final Thread loopThread;
  private final Map<String, HeldSubscription> subs = new LinkedHashMap<>();
  private final List<Consumer<JsonNode>> pushConsumers = new CopyOnWriteArrayList<>();
  private final Map<String, List<Consumer<JsonNode>>> pushConsumersByCode =
      new ConcurrentHashMap<>();
  private final List<CompletableFuture<JsonNode>> openWaiters = new ArrayList<>();
  private final ResumeFilter resume = new ResumeFilter();
  private final Positions positions = new Positions();
  private volatile State state = State.IDLE;
  private volatile Connection current;
  private volatile long lastSeq;
  private String token;
  private long generation;
  private int attempt;
  private boolean everOpened;
  private boolean stopped;
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();

  private ReconnectingClient(Builder b) {
    this.options = b.options;
    this.http = b.http;
    this.policy = b.policy;
    this.tokens = b.tokens;
    this.listener = b.listener;
    this.token = b.options.token();
    CompletableFuture<Thread> created = new CompletableFuture<>();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "thingpush-client");
              t.setDaemon(true);
              created.complete(t);
              return t;
            });
    loop.execute(() -> {});
    this.loopThread = created.join();
  }

  public static Builder builder(ConnectOptions options) {
    return new Builder(options);
  }

  // ---- what the app sees

  public State state() {
    return state;
  }

  /** The live connection, or null while there is none. */
  public Connection connection() {
    return current;
  }

  /** The largest seq pushed so far. */
  public long lastSeq() {
    return lastSeq;
  }

  /** Calls {@code consumer} with every push ({@code down.pub} frame), in order, once each. */
  public void onPush(Consumer<JsonNode> consumer) {
    pushConsumers.add(Objects.requireNonNull(consumer));
  }

  /** Calls {@code consumer} with every push of subscription code {@code code}. */
  public void onPush(String code, Consumer<JsonNode> consumer) {
    pushConsumersByCode
        .computeIfAbsent(code, k -> new CopyOnWriteArrayList<>())
        .add(Objects.requireNonNull(consumer));
  }

  // ---- connecting

  /** Connects (again, after it stopped); completes with the server's first frame once accepted. */
  public CompletableFuture<JsonNode> connect() {
    CompletableFuture<JsonNode> opened = new CompletableFuture<>();
    loop.execute(
        () -> {
          if (state == State.OPEN) {
            opened.complete(current.hello());
            return;
          }
          openWaiters.add(opened);
          if (state == State.IDLE || state == State.CLOSED) {
            stopped = false;
            attempt = 0;
            open();
          }
        });
    return opened;
  }

  /**
   * Uses {@code newToken} from now on: swapped in place on a live connection ({@code
   * up.setHandle}, completing with its reply), else used to connect again (completing with
   * null).
   */
  public CompletableFuture<JsonNode> setToken(String newToken) {
    return onLoop(
        () -> {
          token = newToken;
          if (state == State.OPEN) {
            return current.setHandle(newToken);
          }
          if (state == State.CLOSED && everOpened) {
            stopped = false;
            attempt = 0;
            open();
          }
          return CompletableFuture.completedFuture(null);
        });
  }

  /** Closes for good: no reconnect; waiting subscribes and connects fail. */
  @Override
  public void close() {
    Connection last =
        onLoop(
                () -> {
                  stop();
                  Connection c = current;
                  current = null;
                  generation++;
                  setState(State.CLOSED);
                  fail(new ThingPushClientException("client closed"));
                  return CompletableFuture.completedFuture(c);
                })
            .join();
    if (last != null) {
      last.close();
    }
    loop.shutdown();
  }

  private void open() {
    long gen = ++generation;
    setState(everOpened ? State.RECONNECTING : State.CONNECTING);
    if (token == null) {
      token = freshToken();
    }
    ConnectOptions attemptOptions = options.toBuilder().token(token).build();
    ThingPushClient.connect(http, attemptOptions)
        .whenComplete((c, error) -> loop.execute(() -> connected(gen, c, error)));
  }

  private void connected(long gen, Connection c, Throwable error) {
    if (gen != generation || stopped) {
      if (c != null) {
        c.abort("no longer wanted");
      }
      return;
    }
    if (error != null) {
      ended(
          gen,
          new CloseStatus(CloseStatus.ABNORMAL, String.valueOf(rootCause(error).getMessage())),
          null);
      return;
    }
    if (!c.accepted()) {
      JsonNode refusal = c.hello();
      c.closed().whenComplete((status, e) -> loop.execute(() -> ended(gen, status, refusal)));
      return;
    }
    current = c;
    attempt = 0;
    positions.newConnection();
    boolean resumed = everOpened;
    everOpened = true;
    c.onPush(push -> loop.execute(() -> pushed(gen, push)));
    c.onUnsolicited(frame -> loop.execute(() -> unsolicited(gen, frame)));
    c.closed().whenComplete((status, e) -> loop.execute(() -> ended(gen, status, null)));
    setState(State.OPEN);
    listener.onOpen(c, resumed);
    heartbeat(gen, c);
    scheduleRefresh(gen);
    resubscribe(gen, c);
    for (CompletableFuture<JsonNode> w : List.copyOf(openWaiters)) {
      w.complete(c.hello());
    }
    openWaiters.clear();
  }

  private void ended(long gen, CloseStatus status, JsonNode refusal) {
    if (gen != generation || stopped) {
      return;
    }
    current = null;
    generation++;
    cancelTimers();
    resume.end();
    if (status.code() == 4001) {
      listener.onTokenExpired(status, refusal);
      String fresh = freshToken();
      if (fresh == null) {
        giveUp(status, refusal);
        return;
      }
      token = fresh;
    } else if (!ReconnectPolicy.retryable(status.code())) {
      giveUp(status, refusal);
      return;
    }
    Duration delay = policy.delay(attempt++, () -> ThreadLocalRandom.current().nextDouble());
    if (status.code() == 4029) {
      delay = delay.plus(policy.limitPause());
    }
    listener.onClose(status, refusal, delay);
    setState(State.RECONNECTING);
    later(this::open, delay);
  }

  private String freshToken() {
    if (tokens == null) {
      return null;
    }
    try {
      return tokens.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void giveUp(CloseStatus status, JsonNode refusal) {
    stop();
    listener.onClose(status, refusal, null);
    setState(State.CLOSED); // before the waiters learn of it, so that they see the state
    fail(
        new ThingPushClientException(
            "connection closed: " + status + (refusal == null ? "" : " " + Json.text(refusal))));
  }

  private void stop() {
    stopped = true;
    cancelTimers();
    resume.end();
  }

  private void fail(ThingPushClientException cause) {
    for (CompletableFuture<JsonNode> w : openWaiters) {
      w.completeExceptionally(cause);
    }
    openWaiters.clear();
    for (HeldSubscription sub : subs.values()) {
      sub.failWaiters(cause);
    }
  }

  // ---- watching the link and the token

  /** A ping every interval; one not answered in time means the link is dead. */
  private void heartbeat(long gen, Connection c) {
    if (policy.heartbeat().isZero()) {
      return;
    }
    later(
        () -> {
          if (gen != generation) {
            return;
          }
          c.ping(Json.object().put("t", System.currentTimeMillis()))
              .orTimeout(policy.heartbeatTimeout().toMillis(), TimeUnit.MILLISECONDS)
              .whenComplete(
                  (pong, error) -> {
                    if (error != null) {
                      loop.execute(
                          () -> {
                            if (gen == generation) {
                              c.abort("no answer to heartbeat");
                            }
                          });
                    }
                  });
          heartbeat(gen, c);
        },
        policy.heartbeat());
  }

  private void scheduleRefresh(long gen) {
    Instant expires = TokenExpiry.of(token);
    if (tokens == null || expires == null) {
      return;
    }
    Duration wait = Duration.between(Instant.now(), expires.minus(policy.refreshBefore()));
    later(
        () -> {
          if (gen != generation) {
            return;
          }
          String fresh = freshToken();
          if (fresh != null) {
            token = fresh;
            current.setHandle(fresh);
            scheduleRefresh(gen);
          }
        },
        wait.isNegative() ? Duration.ZERO : wait);
  }

  // ---- subscriptions

  /**
   * Subscribes and keeps the subscription across reconnects; completes with the first {@code
   * down.subRet}. A refusal (its code in the reply) also completes it, and the subscription is
   * dropped.
   */
  public CompletableFuture<JsonNode> subscribe(
      String code, Map<String, ?> params, SubscribeOptions subOptions) {
    ObjectNode p = Json.MAPPER.valueToTree(params);
    return onLoop(
        () -> {
          HeldSubscription sub =
              subs.computeIfAbsent(
                  HeldSubscription.key(code, p), k -> new HeldSubscription(code, p));
          sub.options = subOptions;
          positions.subscribe(sub.key, subOptions.since());
          CompletableFuture<JsonNode> reply = sub.firstReply();
          if (state == State.OPEN) {
            send(generation, current, sub, subOptions.since(), false);
          }
          return reply;
        });
  }

  /** Ends a subscription; completes with {@code down.unSubRet} (or at once when not connected). */
  public CompletableFuture<JsonNode> unsubscribe(String code, Map<String, ?> params) {
    ObjectNode p = Json.MAPPER.valueToTree(params);
    return onLoop(
        () -> {
          HeldSubscription sub = drop(HeldSubscription.key(code, p));
          if (sub != null) {
            sub.failWaiters(new ThingPushClientException("unsubscribed"));
          }
          if (state != State.OPEN) {
            return CompletableFuture.completedFuture(
                Json.object().put("code", 200).put("type", Frames.DOWN_UNSUB_RET));
          }
          ObjectNode body = Json.object().put("code", code);
          body.set("params", p);
          return current.unsubscribe(body);
        });
  }

  /** The subscriptions held, by code and params (also while reconnecting). */
  public List<Map.Entry<String, JsonNode>> subscriptions() {
    return onLoop(
            () -> {
              List<Map.Entry<String, JsonNode>> held = new ArrayList<>();
              subs.values().forEach(s -> held.add(Map.entry(s.code, s.params.deepCopy())));
              return CompletableFuture.completedFuture(held);
            })
        .join();
  }

  /**
   * After a reconnect: every subscription again, each with {@code since} = its position; then
   * a ping, whose pong comes after every replay, ends the window in which a push seen twice is
   * dropped.
   */
  private void resubscribe(long gen, Connection c) {
    boolean resuming =
        subs.values().stream().anyMatch(s -> s.active && positions.of(s.key) != null);
    if (resuming) {
      resume.begin();
    }
    for (HeldSubscription sub : List.copyOf(subs.values())) {
      send(gen, c, sub, positions.of(sub.key), sub.active);
    }
    if (resuming) {
      c.ping(Json.object().put("resume", true))
          .whenComplete(
              (pong, error) ->
                  loop.execute(
                      () -> {
                        if (gen == generation) {
                          resume.end();
                        }
                      }));
    }
  }

  /** Stops keeping a subscription (unsubscribed, refused or revoked); returns it, or null. */
  private HeldSubscription drop(String key) {
    positions.remove(key);
    return subs.remove(key);
  }

  /** {@code resuming}: the subscription was held before this connection. */
  private void send(long gen, Connection c, HeldSubscription sub, Long since, boolean resuming) {
    c.subscribe(sub.body(since))
        .whenComplete(
            (reply, error) -> loop.execute(() -> replied(gen, sub, since, resuming, reply, error)));
  }

  private void replied(
      long gen,
      HeldSubscription sub,
      Long since,
      boolean resuming,
      JsonNode reply,
      Throwable error) {
    if (error != null || gen != generation || subs.get(sub.key) != sub) {
      return; // closed before the reply: sent again after the reconnect
    }
    if (reply.path("code").asInt() != 200) {
      drop(sub.key);
      if (sub.active) {
        listener.onRevoked(sub.code, sub.params, reply);
      }
      sub.completeWaiters(reply);
      return;
    }
    sub.active = true;
    positions.answered(
        sub.key, reply.path("seq").isIntegralNumber() ? reply.get("seq").asLong() : null);
    // Resumed without a position (a reply without seq, no push seen), or history fell short.
    boolean unrecovered =
        reply.path("recovered").isBoolean() && !reply.get("recovered").asBoolean();
    if (unrecovered || (resuming && since == null)) {
      listener.onRecoveryFailed(sub.code, sub.params, since);
    }
    sub.completeWaiters(reply);
  }

  // ---- receiving

  private void pushed(long gen, JsonNode push) {
    if (gen != generation || !resume.admit(push)) {
      return;
    }
    long seq = push.path("seq").asLong();
    lastSeq = Math.max(lastSeq, seq);
    positions.pushed(seq);
    for (Consumer<JsonNode> c :
        pushConsumersByCode.getOrDefault(push.path("path").asText(), List.of())) {
      c.accept(push);
    }
    for (Consumer<JsonNode> c : pushConsumers) {
      c.accept(push);
    }
  }

  /** A grant was revoked: the server ended a subscription with 100012 and says which. */
  private void unsolicited(long gen, JsonNode frame) {
    if (gen != generation || !Frames.DOWN_UNSUB_RET.equals(frame.path("type").asText())) {
      return;
    }
    JsonNode body = frame.path("body");
    if (body.path("code").isTextual() && body.path("params").isObject()) {
      HeldSubscription sub =
          drop(HeldSubscription.key(body.get("code").asText(), body.get("params")));
      if (sub != null) {
        listener.onRevoked(sub.code, sub.params, frame);
      }
    }
  }

  // ---- plumbing

  private void setState(State next) {
    if (state != next) {
      state = next;
      listener.onState(next);
    }
  }

  private void later(Runnable task, Duration delay) {
    timers.removeIf(ScheduledFuture::isDone);
    timers.add(loop.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS));
  }

  private void cancelTimers() {
    timers.forEach(t -> t.cancel(false));
    timers.clear();
  }

  /** Runs {@code action} on the client's thread (at once when already there). */
  private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> action) {
    if (Thread.currentThread() == loopThread) {
      return action.get();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(
        () ->
            action
                .get()
                .whenComplete(
                    (v, e) -> {
                      if (e != null) {
                        result.completeExceptionally(e);
                      } else {
                        result.complete(v);
                      }
                    }));
    return result;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /** Builds a {@link ReconnectingClient}. */
  public static final class Builder {
    private final ConnectOptions options;
    private HttpClient http;
    private ReconnectPolicy policy = ReconnectPolicy.defaults();
    private Supplier<String> tokens;
    private ReconnectListener listener = new ReconnectListener() {};

    private Builder(ConnectOptions options) {
      this.options = Objects.requireNonNull(options, "options");
    }

    public Builder http(HttpClient http) {
      this.http = http;
      return this;
    }

    public Builder policy(ReconnectPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Where fresh tokens come from: asked before the token expires (then swapped in place)
     * and after a 4001 close (then used to reconnect). Runs on the client's thread; null (or
     * a throw) means "no token now".
     */
    public Builder tokens(Supplier<String> tokens) {
      this.tokens = tokens;
      return this;
    }

    public Builder listener(ReconnectListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public ReconnectingClient build() {
      if (http == null) {
        http = HttpClient.newHttpClient();
      }
      return new ReconnectingClient(this);
    }
  }
}
