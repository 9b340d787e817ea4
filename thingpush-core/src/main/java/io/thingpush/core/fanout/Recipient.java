package io.thingpush.core.fanout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.Event;
import io.thingpush.core.filter.Filter;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The sending side of one connection: its subscriptions, the frames it has not taken yet, and
 * the write/flush discipline. Confined to the transport's executor.
 */
public final class Recipient {
  private final Transport transport;
  private final Lang lang;
  private final Delivery delivery;
  // Frames waiting for the transport; null while none wait, as for most connections most of the
  // time: an empty outbox each would cost every connection ~56 bytes.
  private Outbox outbox;
  // The subscriptions without a filter: the one most connections hold in a field of its own, a map
  // (null until then) once there are two. A map for one would cost every connection ~100 bytes.
  private Subscription single;
  private Map<SubKey, Subscription> subscriptions;
  // Those with a filter, by key; null while there is none, so unfiltered delivery pays one check.
  private Map<SubKey, List<Subscription>> filtered;
  private long lastLiveSeq;
  private boolean dirty;
  private boolean closed;
  private Throttle throttle;
  private int pauses;
  private List<Event> paused;
  private CloseCode drainCode;
  private String drainReason;

  public Recipient(Transport transport, Lang lang, Delivery delivery) {
    this.transport = transport;
    this.lang = lang;
    this.delivery = delivery;
  }

  public ScheduledExecutorService executor() {
    return transport.executor();
  }

  public Lang lang() {
    return lang;
  }

  /** The subscription this connection holds under {@code key} with the filter {@code filter} (null: none), or null. */
  public Subscription subscription(SubKey key, String filter) {
    if (filter == null) {
      return unfiltered(key);
    }
    List<Subscription> withFilters = filtered == null ? null : filtered.get(key);
    if (withFilters != null) {
      for (Subscription s : withFilters) {
        if (filter.equals(s.filterText())) {
          return s;
        }
      }
    }
    return null;
  }

  /** The subscription without a filter held under {@code key}, or null. */
  private Subscription unfiltered(SubKey key) {
    if (subscriptions != null) {
      return subscriptions.get(key);
    }
    return single != null && single.key().equals(key) ? single : null;
  }

  void put(Subscription subscription) {
    if (subscription.filter() == null) {
      putUnfiltered(subscription);
      return;
    }
    if (filtered == null) {
      filtered = new HashMap<>(2);
    }
    filtered.computeIfAbsent(subscription.key(), k -> new ArrayList<>(1)).add(subscription);
  }

  private void putUnfiltered(Subscription subscription) {
    if (subscriptions == null && (single == null || single.key().equals(subscription.key()))) {
      single = subscription;
      return;
    }
    if (subscriptions == null) {
      subscriptions = new HashMap<>(4);
      subscriptions.put(single.key(), single);
      single = null;
    }
    subscriptions.put(subscription.key(), subscription);
  }

  boolean remove(Subscription subscription) {
    if (subscription.filter() == null) {
      if (subscriptions != null) {
        return subscriptions.remove(subscription.key(), subscription);
      }
      if (single != subscription) {
        return false;
      }
      single = null;
      return true;
    }
    List<Subscription> withFilters = filtered == null ? null : filtered.get(subscription.key());
    if (withFilters == null || !withFilters.remove(subscription)) {
      return false;
    }
    if (withFilters.isEmpty()) {
      filtered.remove(subscription.key());
      if (filtered.isEmpty()) {
        filtered = null;
      }
    }
    return true;
  }

  /** This connection's subscriptions; valid on its executor until one is added or removed. */
  public Collection<Subscription> subscriptions() {
    Collection<Subscription> unfiltered =
        subscriptions != null
            ? subscriptions.values()
            : single != null ? List.of(single) : List.of();
    if (filtered == null) {
      return unfiltered;
    }
    List<Subscription> all = new ArrayList<>(unfiltered);
    filtered.values().forEach(all::addAll);
    return all;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Frames waiting for the connection to take them (the operator view's queue depth). */
  public int queuedFrames() {
    return outbox == null ? 0 : outbox.frames();
  }

  /**
   * Keeps live events back until {@link #resumeLive()}: a subscribe is finding where its replay
   * or snapshot ends, and nothing live may overtake its reply or replay.
   */
  public void pauseLive() {
    pauses++;
  }

  /** Ends one {@link #pauseLive()}; after the last, the events kept back are offered in order. */
  public void resumeLive() {
    if (--pauses > 0 || paused == null) {
      return;
    }
    List<Event> events = paused;
    paused = null;
    for (Event event : events) {
      if (offerLive(event)) {
        countLive(event, 1);
      }
    }
    flush();
  }

  /**
   * A live event from the hub: written unless none of this connection's subscriptions wants it
   * (or kept back while paused, or left to the throttle). True when it was written now: the
   * caller counts it ({@link #countLive}), once for all the connections it wrote it to.
   */
  boolean offerLive(Event event) {
    if (closed || drainCode != null || event.seq() <= lastLiveSeq) {
      return false;
    }
    if (pauses > 0) {
      keepPaused(event);
      return false;
    }
    boolean whole = false;
    Set<String> identifiers = null;
    long throttleMillis = Long.MAX_VALUE;
    // Indexed loops: this runs once per recipient of every event, and an iterator there was a
    // tenth of all the server allocated (JFR).
    List<SubKey> keys = event.keys();
    for (int i = 0; i < keys.size(); i++) {
      SubKey key = keys.get(i);
      Subscription unfiltered = unfiltered(key.held());
      List<Subscription> withFilters = filtered == null ? null : filtered.get(key.held());
      if (unfiltered == null && withFilters == null) {
        continue;
      }
      boolean onlyItsProperty =
          event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2
              && key.target().kind() == Target.Kind.PROPERTY;
      // The unfiltered subscription of the key first, then each filtered one: a filter is
      // evaluated only for the subscriptions this event's keys reach.
      for (int j = -1, n = withFilters == null ? 0 : withFilters.size(); j < n; j++) {
        Subscription subscription = j < 0 ? unfiltered : withFilters.get(j);
        if (subscription == null) {
          continue;
        }
        if (event.seq() <= subscription.seam()) {
          if (subscription.wasReplayed(event.seq())
              && !onlyItsProperty
              && passes(subscription, event, key)) {
            // A replay of this subscription already sent the whole event to this connection
            // (overlapping subscriptions resumed together): another match must not send it again.
            return false;
          }
          // Before where this subscription starts; an older overlapping one may still owe it.
          continue;
        }
        if (!passes(subscription, event, key)) {
          continue;
        }
        throttleMillis = Math.min(throttleMillis, subscription.throttleMillis());
        if (onlyItsProperty) {
          if (identifiers == null) {
            identifiers = new LinkedHashSet<>();
          }
          identifiers.add(key.target().identifier());
        } else {
          whole = true;
        }
      }
    }
    if (!whole && identifiers == null) {
      return false;
    }
    lastLiveSeq = event.seq();
    if (whole) {
      identifiers = null;
    }
    byte[] frame =
        whole
            ? event.frame(lang, delivery.encoded())
            : event.frame(lang, identifiers, delivery.encoded());
    if (throttleMillis > 0) {
      throttle().offer(event, frame, identifiers, throttleMillis);
      return false;
    }
    if (throttle != null) {
      throttle.pushedDirectly(event);
    }
    return writeOrQueue(frame, event, identifiers);
  }

  private void keepPaused(Event event) {
    if (paused == null) {
      paused = new ArrayList<>();
    } else if (paused.get(paused.size() - 1).seq() >= event.seq()) {
      return;
    }
    if (paused.size() >= delivery.outboxFrames()) {
      close(CloseCode.TOO_SLOW, "client too slow: send queue full");
      return;
    }
    paused.add(event);
  }

  /** Whether a subscription still wants {@code event} (a throttled push waits a while). */
  boolean stillWants(Event event) {
    List<SubKey> keys = event.keys();
    for (int i = 0; i < keys.size(); i++) {
      SubKey key = keys.get(i);
      if (unfiltered(key.held()) != null) {
        return true;
      }
      List<Subscription> withFilters = filtered == null ? null : filtered.get(key.held());
      if (withFilters != null) {
        for (Subscription subscription : withFilters) {
          if (passes(subscription, event, key)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether {@code event}, reaching {@code subscription} through the index key {@code key}, passes
   * its filter: over the push body that subscription sends (a V2 report cut to the subscribed
   * property for an identifier subscription).
   */
  private boolean passes(Subscription subscription, Event event, SubKey key) {
    Filter filter = subscription.filter();
    if (filter == null) {
      return true;
    }
    boolean onlyItsProperty =
        event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2
            && key.target().kind() == Target.Kind.PROPERTY;
    return passes(
        filter, onlyItsProperty ? event.body(Set.of(key.target().identifier())) : event.body());
  }

  /** Whether {@code body} passes {@code filter}; a filter that fails on it is false and counted. Any thread. */
  public boolean passes(Filter filter, ObjectNode body) {
    Filter.Verdict verdict = filter.evaluate(body);
    if (verdict == Filter.Verdict.ERROR) {
      delivery.metrics().filterFailed();
    }
    return verdict == Filter.Verdict.PASS;
  }

  private Throttle throttle() {
    if (throttle == null) {
      throttle = new Throttle(this);
    }
    return throttle;
  }

  /**
   * Writes an event of a history replay for {@code subscription} when it passes its filter; the
   * caller checked that it matches the key.
   */
  public void writeReplayed(Event event, Subscription subscription) {
    SubKey key = subscription.key();
    if (!passes(subscription, event, key)) {
      return;
    }
    boolean oneProperty =
        event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2
            && key.target().kind() == Target.Kind.PROPERTY;
    Set<String> identifiers = oneProperty ? Set.of(key.target().identifier()) : null;
    byte[] frame =
        oneProperty
            ? event.frame(lang, identifiers, delivery.encoded())
            : event.frame(lang, delivery.encoded());
    if (writeOrQueue(frame, event, identifiers)) {
      delivery.metrics().replayed();
    }
  }

  /** Writes a snapshot frame (made for this connection alone). */
  public void writeSnapshot(byte[] frame) {
    if (writeOrQueue(frame, null, null)) {
      delivery.metrics().snapshotPushed();
    }
  }

  /**
   * Writes and counts the frame of a live {@code event} the throttle held; {@code identifiers}
   * those of a V2 frame cut to them, else null.
   */
  void writeThrottled(Event event, byte[] frame, Set<String> identifiers) {
    if (writeOrQueue(frame, event, identifiers)) {
      countLive(event, 1);
    }
  }

  /**
   * Counts {@code frames} live frames of {@code event} written now, by this connection and others
   * of its thread: the connections of a node share its metrics.
   */
  void countLive(Event event, int frames) {
    delivery.metrics().pushed(System.nanoTime() - event.ingestNanos(), frames);
  }

  /** Writes a frame that is not an event's (a reply, a notice) and flushes: it goes now, behind whatever is queued. */
  public void writeAndFlush(byte[] frame) {
    writeOrQueue(frame, null, null);
    flush();
  }

  /**
   * Writes a frame to the transport, or queues it when the transport cannot take it now; false
   * when the connection is closed or has just been closed for being too slow. A frame of {@code
   * event} (else null) may conflate while queued.
   */
  private boolean writeOrQueue(byte[] frame, Event event, Set<String> identifiers) {
    if (closed) {
      return false;
    }
    if (nothingWaits() && transport.isWritable()) {
      transport.write(frame);
      dirty = true;
      return true;
    }
    if (outbox == null) {
      outbox = delivery.outbox();
    }
    long conflatedBefore = outbox.conflated();
    if (!outbox.offer(frame, event == null ? null : ConflationKey.of(event, identifiers))) {
      close(CloseCode.TOO_SLOW, "client too slow: send queue full");
      return false;
    }
    if (outbox.conflated() > conflatedBefore) {
      delivery.metrics().conflated();
    }
    delivery.metrics().queued(outbox.frames());
    return true;
  }

  private boolean nothingWaits() {
    return outbox == null || outbox.isEmpty();
  }

  /** Flushes what was written since the last flush; one flush per batch of events. */
  public void flush() {
    if (dirty) {
      dirty = false;
      transport.flush();
    }
  }

  /** The transport can take more: move queued frames to it. */
  public void onWritable() {
    while (!closed && !nothingWaits() && transport.isWritable()) {
      transport.write(outbox.poll());
      dirty = true;
    }
    if (nothingWaits()) {
      outbox = null;
    }
    flush();
    if (drainCode != null && nothingWaits()) {
      close(drainCode, drainReason);
    }
  }

  /**
   * Closes once what is queued has been written (a graceful shutdown); new events are no longer
   * pushed. {@link #close} still ends it at once, e.g. when draining takes too long.
   */
  public void drainThenClose(CloseCode code, String reason) {
    paused = null;
    if (nothingWaits()) {
      close(code, reason);
    } else {
      drainCode = code;
      drainReason = reason;
    }
  }

  /**
   * Closes the connection at once; what is still queued is dropped (the client resumes with
   * {@code since}). {@link #drainThenClose} lets the client take it first.
   */
  public void close(CloseCode code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (!nothingWaits()) {
      delivery.metrics().dropped(outbox.frames());
    }
    outbox = null;
    flush();
    transport.close(code, reason);
  }

  /** The connection went away by itself: forget what waits for it. */
  public void onClosed() {
    closed = true;
    outbox = null;
    paused = null;
  }
}
