package io.thingpush.core.fanout;

import io.thingpush.core.cluster.Interests;
import io.thingpush.core.events.Event;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.core.subscription.SubscriptionIndex;
import io.thingpush.protocol.SubCode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Routes each event to the connections whose subscriptions match it. Recipients are grouped by
 * the thread that owns them and posted to that thread's {@link Mailbox}, which writes each event
 * to all of its recipients and then flushes each once, so no lock is shared by connections.
 */
public final class Hub {
  private static final CompletionStage<Void> NOW = CompletableFuture.completedFuture(null);

  private final SubscriptionIndex<Recipient> index = new SubscriptionIndex<>();
  private final Map<Executor, Mailbox> mailboxes = new ConcurrentHashMap<>();
  private final AtomicLongArray subscriptionsByCode = new AtomicLongArray(SubCode.values().length);
  private final Interests interests;

  /** A hub fed by this node alone (embedded mode). */
  public Hub() {
    this(null);
  }

  /** A hub fed by the cluster bus: subscriptions open and close this node's interest in it. */
  public Hub(Interests interests) {
    this.interests = interests;
  }

  /**
   * Adds a subscription (on the recipient's executor); false when one of the same key and filter
   * was already held. A {@code {shareDevice: true}} subscription is routed by {@link #follow},
   * not by its own key. Each subscription holds its routes: a connection with the same key
   * unfiltered and filtered is routed until the last of them ends.
   */
  public boolean subscribe(Recipient recipient, Subscription subscription) {
    if (recipient.subscription(subscription.key(), subscription.filterText()) != null) {
      return false;
    }
    recipient.put(subscription);
    subscriptionsByCode.incrementAndGet(subscription.key().code().ordinal());
    if (subscription.shares() == null) {
      route(recipient, subscription.key());
    }
    return true;
  }

  /**
   * Routes a {@code {shareDevice: true}} subscription to the devices shared with its user now: the
   * index keys {@code routes} computes (one per device) replace the ones it held. Any thread; the
   * set is computed under the subscription's own lock, so the newest computation wins.
   */
  public void follow(Recipient recipient, Subscription subscription, Supplier<Set<SubKey>> routes) {
    subscription
        .shares()
        .follow(routes, key -> route(recipient, key), key -> unroute(recipient, key));
  }

  /**
   * Completes once the events of a held subscription reach this hub: at once on one node, when
   * this node's interest in each of its keys is open on the cluster bus.
   */
  public CompletionStage<Void> whenReceiving(Subscription subscription) {
    if (interests == null) {
      return NOW;
    }
    if (subscription.shares() == null) {
      return interests.whenOpen(subscription.key());
    }
    return CompletableFuture.allOf(
        subscription.shares().current().stream()
            .map(key -> interests.whenOpen(key).toCompletableFuture())
            .toArray(CompletableFuture[]::new));
  }

  /** Ends a subscription (on the recipient's executor); false when it was not held. */
  public boolean unsubscribe(Recipient recipient, Subscription subscription) {
    if (!recipient.remove(subscription)) {
      return false;
    }
    subscriptionsByCode.decrementAndGet(subscription.key().code().ordinal());
    if (subscription.shares() == null) {
      unroute(recipient, subscription.key());
    } else {
      subscription.shares().close(route -> unroute(recipient, route));
    }
    return true;
  }

  private void route(Recipient recipient, SubKey key) {
    index.add(key, recipient);
    if (interests != null) {
      interests.acquire(key);
    }
  }

  private void unroute(Recipient recipient, SubKey key) {
    index.remove(key, recipient);
    if (interests != null) {
      interests.release(key);
    }
  }

  /** Ends every subscription of a connection that is going away. */
  public void removeAll(Recipient recipient) {
    for (Subscription subscription : List.copyOf(recipient.subscriptions())) {
      unsubscribe(recipient, subscription);
    }
  }

  /** Hands {@code event} to every matching connection; returns without waiting for writes. */
  public void publish(Event event) {
    Map<Executor, List<Recipient>> byThread = new IdentityHashMap<>(4);
    for (SubKey key : event.keys()) {
      index.forEach(
          key, r -> byThread.computeIfAbsent(r.executor(), e -> new ArrayList<>()).add(r));
    }
    byThread.forEach(
        (thread, recipients) ->
            mailboxes.computeIfAbsent(thread, Mailbox::new).post(event, recipients));
  }

  public long subscriptionCount() {
    long all = 0;
    for (SubCode code : SubCode.values()) {
      all += subscriptionCount(code);
    }
    return all;
  }

  /** Subscriptions of {@code code} held on this node. */
  public long subscriptionCount(SubCode code) {
    return subscriptionsByCode.get(code.ordinal());
  }

  /** The number of distinct keys subscribed on this node. */
  public int keyCount() {
    return index.keyCount();
  }
}
