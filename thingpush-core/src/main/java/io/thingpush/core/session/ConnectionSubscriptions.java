package io.thingpush.core.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.auth.Principal;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceGrant;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Completions;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.fanout.Recipient;
import io.thingpush.core.filter.Filter;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.SubscribeRequest;
import io.thingpush.protocol.Target;
import io.thingpush.protocol.ThingPushException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The subscriptions of one connection as its session changes them. A subscribe is answered once
 * the subscription's events reach this node, and its reply is followed by its backfill — what
 * {@code since} replays or {@code snapshot} sends, read up to the log's head — after which the
 * subscription starts live: the reply's {@code seq} is that seam. Live events wait behind the
 * reply and backfill, so the seam has no gap and no duplicate. Without NATS (embedded mode)
 * every step is already done and all happens at once. Confined to the connection's executor,
 * except {@link #followShares()}.
 */
final class ConnectionSubscriptions {
  /** How a subscribe is answered, on the connection's executor. */
  interface Answer {
    /** Before the backfill: the subscription starts live after {@code seq}; {@code recovered} null without since. */
    void subscribed(long seq, Boolean recovered);

    /** The subscription could not be settled (the cluster did not answer); it was not kept. */
    void failed(Throwable cause);
  }

  private final SessionContext context;
  private final Recipient recipient;
  private final Supplier<Principal> principal;
  // The {shareDevice: true} subscriptions, which registry changes route from another thread; made
  // by the first (on the connection's executor): an empty list each would cost every connection
  // ~56 bytes.
  private volatile List<Subscription> shares;

  ConnectionSubscriptions(
      SessionContext context, Recipient recipient, Supplier<Principal> principal) {
    this.context = context;
    this.recipient = recipient;
    this.principal = principal;
  }

  /**
   * Adds the subscription of {@code sub} with its compiled {@code filter} (null: none), which the
   * caller checked the user may read (a repeated subscribe keeps it and takes its new throttle),
   * then answers. A refusal before anything changed is thrown.
   */
  void subscribe(SubscribeRequest sub, Filter filter, Answer answer) {
    SubKey key = new SubKey(sub.code(), sub.target().interned());
    Subscription subscription = recipient.subscription(key, sub.filter());
    int max = context.limits().subscriptionsPerConnection();
    if (subscription == null && recipient.subscriptions().size() >= max) {
      throw new ThingPushException(
          ErrorCode.LIMIT, "at most " + max + " subscriptions per connection");
    }
    long throttleMillis = sub.throttleMs() == null ? 0 : sub.throttleMs();
    boolean added = subscription == null;
    if (added) {
      subscription = new Subscription(key, sub.params(), throttleMillis, filter);
      context.hub().subscribe(recipient, subscription);
      if (subscription.shares() != null) {
        // Listed before it is routed: a registry change meanwhile routes it again, from the newest
        // grants.
        if (shares == null) {
          shares = new CopyOnWriteArrayList<>();
        }
        shares.add(subscription);
        followShares(subscription);
      }
    } else {
      subscription.throttleMillis(throttleMillis);
    }
    Subscription subscribed = subscription;
    recipient.pauseLive();
    // The head is read once this node receives the key's events: every later one arrives live.
    CompletionStage<Backfill> backfill =
        context
            .hub()
            .whenReceiving(subscribed)
            .thenCompose(receiving -> context.log().head())
            .thenCompose(head -> backfill(sub, subscribed, head));
    onExecutor(
        backfill,
        (done, error) -> {
          try {
            if (error != null) {
              if (added) {
                end(subscribed);
              }
              answer.failed(error);
              return;
            }
            done.startLive(subscribed);
            answer.subscribed(subscribed.seam(), done.recovered());
            for (Event event : done.replay()) {
              recipient.writeReplayed(event, subscribed);
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
  private CompletionStage<Backfill> backfill(
      SubscribeRequest sub, Subscription subscription, long head) {
    if (sub.since() != null) {
      return history(subscription, sub.since(), head)
          .thenCompose(
              history -> {
                if (history.complete() || !sub.snapshot()) {
                  return CompletableFuture.completedFuture(
                      Backfill.replay(history.complete(), history.events(), sub.since(), head));
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
  private CompletionStage<EventLog.History> history(
      Subscription subscription, long since, long head) {
    EventLog log = context.log();
    if (subscription.shares() == null) {
      return log.read(subscription.key(), since, head);
    }
    List<CompletableFuture<EventLog.History>> reads =
        subscription.shares().current().stream()
            .map(route -> log.read(route, since, head).toCompletableFuture())
            .toList();
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
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

  private CompletionStage<Backfill> snapshot(
      Subscription subscription, long head, Boolean recovered) {
    SubKey key = subscription.key();
    List<Device> devices =
        subscription.shares() == null
            ? Snapshot.devices(context.directory().get(), key.target())
            : sharedDevices();
    Predicate<ObjectNode> passes =
        subscription.filter() == null
            ? body -> true
            : body -> recipient.passes(subscription.filter(), body);
    return context
        .latest()
        .read(key.code(), devices, head)
        .thenApply(
            values ->
                Backfill.snapshot(
                    recovered,
                    Snapshot.frames(devices, values, key, passes, recipient.lang()),
                    values.upTo()));
  }

  /** Routes each {@code {shareDevice: true}} subscription to the devices shared with the user now (any thread). */
  void followShares() {
    List<Subscription> listed = shares;
    if (listed == null) {
      return;
    }
    for (Subscription subscription : listed) {
      followShares(subscription);
    }
  }

  private void followShares(Subscription subscription) {
    SubCode code = subscription.key().code();
    context
        .hub()
        .follow(
            recipient,
            subscription,
            () -> {
              Set<SubKey> routes = new HashSet<>();
              for (Device device : sharedDevices()) {
                routes.add(
                    new SubKey(code, Target.sharedDevice(device.productId(), device.deviceName())));
              }
              return routes;
            });
  }

  /** The devices shared with the user, by the current registry. */
  private List<Device> sharedDevices() {
    Principal user = principal.get();
    Directory dir = context.directory().get();
    List<Device> devices = new ArrayList<>();
    for (DeviceGrant share : dir.sharedWith(user.tenantCode(), user.userId())) {
      dir.device(share.productId(), share.deviceName()).ifPresent(devices::add);
    }
    return devices;
  }

  /** Ends a subscription, wherever it is routed. */
  void end(Subscription subscription) {
    if (context.hub().unsubscribe(recipient, subscription) && subscription.shares() != null) {
      // Listed when it was added.
      shares.remove(subscription);
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
}
