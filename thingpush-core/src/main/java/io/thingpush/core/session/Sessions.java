package io.thingpush.core.session;

import io.thingpush.core.auth.Principal;
import io.thingpush.core.fanout.Delivery;
import io.thingpush.core.fanout.FanoutMetrics;
import io.thingpush.core.fanout.Recipient;
import io.thingpush.core.fanout.Transport;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Frames;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/** Opens sessions for accepted connections and knows every open one on this node. */
public final class Sessions {
  static final int MAX_APP_CODE = 64;

  private final SessionContext context;
  private final ConnectionQuota quota;
  private final Delivery delivery;
  private final HeldNames names;
  private final Set<Session> open = ConcurrentHashMap.newKeySet();
  private final TokenExpiries expiries;
  private final RateLimiter.Limit messageRate;

  public Sessions(SessionContext context, ConnectionQuota quota, FanoutMetrics metrics) {
    this.context = context;
    this.quota = quota;
    this.names = new HeldNames(context.directory());
    this.expiries = new TokenExpiries(context.clock());
    SessionLimits limits = context.limits();
    this.delivery = new Delivery(limits.outboxFrames(), limits.outboxBytes(), metrics);
    this.messageRate =
        new RateLimiter.Limit(
            limits.messagesPerSecond(), limits.messageBurst(), limits.excessCloseMillis());
  }

  /**
   * Runs the connect checks of SPEC §1 in their order and, when they pass, opens the session
   * and sends its first frame. A refusal is thrown; the caller sends it and closes.
   */
  public Session open(Transport transport, ConnectRequest request, long connectId, TraceId trace) {
    Principal principal = names.of(authenticate(request));
    if (!quota.tryAcquire(principal.tenantCode(), principal.userId())) {
      throw new ThingPushException(ErrorCode.LIMIT, "too many connections");
    }
    Recipient recipient = new Recipient(transport, request.lang(), delivery);
    Session session =
        new Session(
            context,
            this,
            recipient,
            principal,
            names.of(request, principal),
            connectId,
            trace,
            context.clock().millis());
    open.add(session);
    recipient.writeAndFlush(
        Frames.connected(request.lang(), trace.toString(), Long.toString(connectId)));
    session.start();
    return session;
  }

  private Principal authenticate(ConnectRequest request) {
    if (request.token() == null || request.token().isEmpty()) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "token missing");
    }
    Principal principal = context.tokens().verify(request.token());
    admit(principal, request);
    return principal;
  }

  /**
   * The checks of SPEC §1 that follow the token's own, in their order: what a connection with
   * {@code request} may hold with {@code principal}'s token, at connect and at each token swap.
   */
  void admit(Principal principal, ConnectRequest request) {
    if (request.tenantCode() != null && !request.tenantCode().equals(principal.tenantCode())) {
      throw new ThingPushException(
          ErrorCode.FORBIDDEN, "tenant-code differs from the token's tenant");
    }
    if (request.projectId() != null) {
      context.authoriser().checkProjectVisible(principal, request.projectId());
    }
    String app = request.app();
    if (app.length() > MAX_APP_CODE) {
      throw new ThingPushException(ErrorCode.PARAMETER, "app-code must be at most 64 characters");
    }
    if (!principal.allowsApp(app)) {
      throw new ThingPushException(ErrorCode.FORBIDDEN, "app-code not allowed by the token");
    }
  }

  /** What a session keeps of a principal it switches to: the names shared with the others. */
  Principal held(Principal principal) {
    return names.of(principal);
  }

  /** What a session keeps of a request it switches to, with {@code principal}. */
  ConnectRequest held(ConnectRequest request, Principal principal) {
    return names.of(request, principal);
  }

  /** Where the sessions' tokens expire. */
  TokenExpiries expiries() {
    return expiries;
  }

  /** The message rate each session is held to, one for all of them. */
  RateLimiter.Limit messageRate() {
    return messageRate;
  }

  void closed(Session session) {
    if (open.remove(session)) {
      context.hub().removeAll(session.recipient());
      quota.release(session.principal().tenantCode(), session.principal().userId());
    }
  }

  /**
   * The registry changed: every open session routes its {@code {shareDevice: true}} subscriptions
   * to the devices shared now (before this returns), and re-checks its subscriptions against the
   * current directory, each on its own executor, ending those its user may no longer hold.
   */
  public void recheckSubscriptions() {
    for (Session session : open) {
      // Shares are followed here, before the next event: a device shared now is pushed from it on.
      session.followShares();
      try {
        session.recipient().executor().execute(session::recheckSubscriptions);
      } catch (RejectedExecutionException shuttingDown) {
        // Its thread is stopping and the connection with it.
      }
    }
  }

  /** The open sessions of this node. */
  public Set<Session> open() {
    return open;
  }

  /** The open session of {@code connectId} on this node, if any. */
  public Optional<Session> find(String connectId) {
    return open.stream().filter(s -> s.connectId().equals(connectId)).findFirst();
  }
}
