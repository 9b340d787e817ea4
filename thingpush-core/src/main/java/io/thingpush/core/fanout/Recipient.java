package io.thingpush.core.fanout;

import io.thingpush.core.events.Event;
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
  private final Outbox outbox;
  private final FanoutMetrics metrics;
  private final Runnable encoded;
  // Sized for the few subscriptions most connections hold; it grows for the others.
  private final Map<SubKey, Subscription> subscriptions = new HashMap<>(2);
  private long lastLiveSeq;
  private boolean dirty;
  private boolean closed;
  private Throttle throttle;
  private int pauses;
  private List<Event> paused;
  private CloseCode drainCode;
  private String drainReason;

  public Recipient(Transport transport, Lang lang, Outbox outbox, FanoutMetrics metrics) {
    this.transport = transport;
    this.lang = lang;
    this.outbox = outbox;
    this.metrics = metrics;
    this.encoded = metrics::encoded;
  }

  public ScheduledExecutorService executor() {
    return transport.executor();
  }

  public Lang lang() {
    return lang;
  }

  /** The subscription this connection holds under {@code key}, or null. */
  public Subscription subscription(SubKey key) {
    return subscriptions.get(key);
  }

  void put(Subscription subscription) {
    subscriptions.put(subscription.key(), subscription);
  }

  Subscription remove(SubKey key) {
    return subscriptions.remove(key);
  }

  /** This connection's subscriptions; a view, valid on its executor. */
  public Collection<Subscription> subscriptions() {
    return subscriptions.values();
  }

  public boolean isClosed() {
    return closed;
  }

  /** Frames waiting for the connection to take them (the operator view's queue depth). */
  public int queuedFrames() {
    return outbox.frames();
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
      offerLive(event);
    }
    flush();
  }

  /**
   * A live event from the hub: written unless none of this connection's subscriptions wants it
   * (or kept back while paused, or left to the throttle).
   */
  void offerLive(Event event) {
    if (closed || drainCode != null || event.seq() <= lastLiveSeq) {
      return;
    }
    if (pauses > 0) {
      keepPaused(event);
      return;
    }
    boolean whole = false;
    Set<String> identifiers = null;
    long throttleMillis = Long.MAX_VALUE;
    // Indexed loops: this runs once per recipient of every event, and an iterator there was a
    // tenth of all the server allocated (JFR).
    List<SubKey> keys = event.keys();
    for (int i = 0; i < keys.size(); i++) {
      SubKey key = keys.get(i);
      Subscription subscription = subscriptions.get(key.held());
      if (subscription == null) {
        continue;
      }
      boolean onlyItsProperty =
          event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2 && key.target().kind() == Target.Kind.PROPERTY;
      if (event.seq() <= subscription.seam()) {
        if (subscription.wasReplayed(event.seq()) && !onlyItsProperty) {
          // A replay of this subscription already sent the whole event to this connection
          // (overlapping subscriptions resumed together): another match must not send it again.
          return;
        }
        // Before where this subscription starts; an older overlapping one may still owe it.
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
    if (!whole && identifiers == null) {
      return;
    }
    lastLiveSeq = event.seq();
    if (whole) {
      identifiers = null;
    }
    byte[] frame = whole ? event.frame(lang, encoded) : event.frame(lang, identifiers, encoded);
    if (throttleMillis > 0) {
      throttle().offer(event, frame, identifiers, throttleMillis);
      return;
    }
    if (throttle != null) {
      throttle.pushedDirectly(event);
    }
    writeLive(event, frame, identifiers);
  }

  private void keepPaused(Event event) {
    if (paused == null) {
      paused = new ArrayList<>();
    } else if (paused.get(paused.size() - 1).seq() >= event.seq()) {
      return;
    }
    if (paused.size() >= outbox.maxFrames()) {
      close(CloseCode.TOO_SLOW, "client too slow: send queue full");
      return;
    }
    paused.add(event);
  }

  /** Whether a subscription still wants {@code event} (a throttled push waits a while). */
  boolean stillWants(Event event) {
    List<SubKey> keys = event.keys();
    for (int i = 0; i < keys.size(); i++) {
      if (subscriptions.containsKey(keys.get(i).held())) {
        return true;
      }
    }
    return false;
  }

  private Throttle throttle() {
    if (throttle == null) {
      throttle = new Throttle(this);
    }
    return throttle;
  }

  /** Writes an event of a history replay for {@code key}; the caller checked that it matches. */
  public void writeReplayed(Event event, SubKey key) {
    boolean oneProperty = event.code() == SubCode.DEVICE_PROPERTY_REPORT_V2 && key.target().kind() == Target.Kind.PROPERTY;
    Set<String> identifiers = oneProperty ? Set.of(key.target().identifier()) : null;
    byte[] frame = oneProperty ? event.frame(lang, identifiers, encoded) : event.frame(lang, encoded);
    if (writeOrQueue(frame, event, identifiers)) {
      metrics.replayed();
    }
  }

  /** Writes a snapshot frame (made for this connection alone). */
  public void writeSnapshot(byte[] frame) {
    if (writeOrQueue(frame, null, null)) {
      metrics.snapshotPushed();
    }
  }

  /** Writes the frame of a live {@code event}; {@code identifiers} those of a V2 frame cut to them, else null. */
  void writeLive(Event event, byte[] frame, Set<String> identifiers) {
    if (writeOrQueue(frame, event, identifiers)) {
      metrics.pushed(System.nanoTime() - event.ingestNanos());
    }
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
    if (outbox.isEmpty() && transport.isWritable()) {
      transport.write(frame);
      dirty = true;
      return true;
    }
    long conflatedBefore = outbox.conflated();
    if (!outbox.offer(frame, event == null ? null : ConflationKey.of(event, identifiers))) {
      close(CloseCode.TOO_SLOW, "client too slow: send queue full");
      return false;
    }
    if (outbox.conflated() > conflatedBefore) {
      metrics.conflated();
    }
    metrics.queued(outbox.frames());
    return true;
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
    while (!closed && !outbox.isEmpty() && transport.isWritable()) {
      transport.write(outbox.poll());
      dirty = true;
    }
    flush();
    if (drainCode != null && outbox.isEmpty()) {
      close(drainCode, drainReason);
    }
  }

  /**
   * Closes once what is queued has been written (a graceful shutdown); new events are no longer
   * pushed. {@link #close} still ends it at once, e.g. when draining takes too long.
   */
  public void drainThenClose(CloseCode code, String reason) {
    paused = null;
    if (outbox.isEmpty()) {
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
    if (!outbox.isEmpty()) {
      metrics.dropped(outbox.frames());
      outbox.clear();
    }
    flush();
    transport.close(code, reason);
  }

  /** The connection went away by itself: forget what waits for it. */
  public void onClosed() {
    closed = true;
    outbox.clear();
    paused = null;
  }
}
