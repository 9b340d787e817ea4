package io.thingpush.server.nats;

import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.thingpush.core.cluster.ClusterBus;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Event;
import io.thingpush.core.subscription.SubKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this node's hub from the cluster, in seq order, with only what its connections watch.
 * Each open key is one subject pattern on the stream's republished subjects; all of them are
 * served by one NATS dispatcher thread, and the stream republishes in seq order, so events
 * arrive ordered. An event matching several patterns arrives once per pattern: only the first
 * (a seq above the last one fed) goes on. When messages may have been lost (reconnect, slow
 * consumer) live messages are held while the missed ones are read back from the stream for
 * the open keys; then feeding goes on where it stopped, with no gap and no duplicate.
 */
public final class NatsEventFeed implements ClusterBus, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsEventFeed.class);
  private static final String SEQ_HEADER = "Nats-Sequence";
  private static final long RETRY_MILLIS = 500;

  private final NatsCluster nats;
  private final JetStreamEventLog log;
  private final Supplier<Directory> directory;
  private final Consumer<Event> hub;
  private final Dispatcher dispatcher;
  private final Map<SubKey, String> subjects = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private long lastFed;
  private List<Event> parked;
  private volatile boolean closed;

  /** @param hub where each event goes, in seq order, once */
  public NatsEventFeed(NatsCluster nats, JetStreamEventLog log, Supplier<Directory> directory, Consumer<Event> hub) {
    this.nats = nats;
    this.log = log;
    this.directory = directory;
    this.hub = hub;
    this.dispatcher = nats.connection().createDispatcher(this::onMessage);
    this.lastFed = log.headNow();
    nats.onResume(this::catchUp);
  }

  @Override
  public CompletionStage<Void> open(SubKey key) {
    String subject = nats.subjects().live(key, directory.get());
    subjects.put(key, subject);
    dispatcher.subscribe(subject);
    return CompletableFuture.runAsync(() -> {
      try {
        nats.connection().flush(Duration.ofMillis(nats.config().publishTimeoutMs()));
      } catch (Exception e) {
        throw new CompletionException("NATS did not confirm the subscription: " + e.getMessage(), e);
      }
    }, nats.io());
  }

  @Override
  public void close(SubKey key) {
    String subject = subjects.remove(key);
    if (subject != null && !closed) {
      dispatcher.unsubscribe(subject);
    }
  }

  /**
   * The registry changed: an area may have moved in its tree, so reopen the patterns that
   * changed. Events of such an area in between are read back like after a reconnect.
   */
  public void refresh() {
    boolean changed = false;
    for (Map.Entry<SubKey, String> entry : subjects.entrySet()) {
      String now = nats.subjects().live(entry.getKey(), directory.get());
      if (!now.equals(entry.getValue())) {
        dispatcher.unsubscribe(entry.getValue());
        dispatcher.subscribe(now);
        entry.setValue(now);
        changed = true;
      }
    }
    if (changed) {
      nats.io().execute(this::catchUp);
    }
  }

  private void onMessage(Message message) {
    String seqText = message.getHeaders() == null ? null : message.getHeaders().getLast(SEQ_HEADER);
    if (seqText == null) {
      return;
    }
    long seq = Long.parseLong(seqText);
    Event event = EventCodec.decode(message.getData(), seq, System.currentTimeMillis());
    if (event == null) {
      LOG.warn("unreadable event at seq {} skipped", seq);
      return;
    }
    synchronized (this) {
      if (parked != null) {
        parked.add(event);
      } else {
        feed(event);
      }
    }
  }

  /** Hands one event to the hub unless it was already fed; called holding the lock. */
  private void feed(Event event) {
    if (event.seq() <= lastFed) {
      return;
    }
    lastFed = event.seq();
    received.incrementAndGet();
    hub.accept(event);
  }

  /**
   * Reads back from the stream what the open keys may have missed since the last event fed,
   * then feeds what arrived live meanwhile. Retries until NATS answers or the feed closes.
   */
  private void catchUp() {
    synchronized (this) {
      if (parked != null) {
        return;
      }
      parked = new ArrayList<>();
    }
    while (!closed) {
      try {
        nats.connection().flush(Duration.ofMillis(nats.config().publishTimeoutMs()));
        long from;
        synchronized (this) {
          from = lastFed;
        }
        long head = log.headNow();
        TreeMap<Long, Event> missed = new TreeMap<>();
        for (SubKey key : List.copyOf(subjects.keySet())) {
          for (Event event : log.readNow(nats.subjects().history(key, directory.get()), from, head)) {
            missed.put(event.seq(), event);
          }
        }
        synchronized (this) {
          missed.values().forEach(this::feed);
          lastFed = Math.max(lastFed, head);
          parked.forEach(this::feed);
          parked = null;
        }
        if (!missed.isEmpty()) {
          LOG.info("caught up {} events missed after seq {}", missed.size(), from);
        }
        return;
      } catch (Exception e) {
        LOG.warn("catching up from the stream failed ({}); retrying", e.toString());
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Events this node received from the cluster (each once). */
  public long received() {
    return received.get();
  }

  /** Keys this node listens to on NATS. */
  public int openKeys() {
    return subjects.size();
  }

  @Override
  public void close() {
    closed = true;
    nats.connection().closeDispatcher(dispatcher);
  }
}
