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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Routes each event to the connections whose subscriptions match it. Recipients are grouped by
 * the thread that owns them and posted to that thread's {@link Mailbox}, which writes each event
 * to all of its recipients and then flushes each once, so no lock is shared by connections.
 */
public final class Hub {
  private static final CompletionStage<Void> ROUTED = CompletableFuture.completedFuture(null);

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

  /** Adds a subscription (on the recipient's executor); false when it was already held. */
  public boolean subscribe(Recipient recipient, Subscription subscription) {
    if (recipient.subscription(subscription.key()) != null) {
      return false;
    }
    recipient.put(subscription);
    index.add(subscription.key(), recipient);
    subscriptionsByCode.incrementAndGet(subscription.key().code().ordinal());
    if (interests != null) {
      interests.acquire(subscription.key());
    }
    return true;
  }

  /**
   * Completes once events of a held subscription's {@code key} reach this hub: at once on one
   * node, when this node's interest is open on the cluster bus.
   */
  public CompletionStage<Void> routed(SubKey key) {
    return interests == null ? ROUTED : interests.whenOpen(key);
  }

  /** Ends a subscription (on the recipient's executor); false when it was not held. */
  public boolean unsubscribe(Recipient recipient, SubKey key) {
    if (recipient.remove(key) == null) {
      return false;
    }
    index.remove(key, recipient);
    subscriptionsByCode.decrementAndGet(key.code().ordinal());
    if (interests != null) {
      interests.release(key);
    }
    return true;
  }

  /** Ends every subscription of a connection that is going away. */
  public void removeAll(Recipient recipient) {
    for (Subscription subscription : List.copyOf(recipient.subscriptions())) {
      unsubscribe(recipient, subscription.key());
    }
  }

  /** Hands {@code event} to every matching connection; returns without waiting for writes. */
  public void publish(Event event) {
    Map<Executor, List<Recipient>> byThread = new IdentityHashMap<>(4);
    for (SubKey key : event.keys()) {
      index.forEach(key, r -> byThread.computeIfAbsent(r.executor(), e -> new ArrayList<>()).add(r));
    }
    byThread.forEach((thread, recipients) -> mailboxes.computeIfAbsent(thread, Mailbox::new).post(event, recipients));
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
