package io.thingpush.server.nats;

import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.PublishOptions;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamState;
import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Completions;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.LogEntry;
import io.thingpush.core.events.LogTail;
import io.thingpush.core.events.LogUnavailableException;
import io.thingpush.core.subscription.SubKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster event log: a JetStream stream whose sequence is every event's {@code seq}.
 * History is the stream itself, bounded by {@code history.maxEvents} and {@code maxAgeMs}.
 * Registry changes are appended to the same stream, so every node's tail reads them at their
 * place among the events.
 */
public final class JetStreamEventLog implements EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(JetStreamEventLog.class);
  private static final int BATCH = 512;

  private final NatsCluster nats;
  private final Supplier<Directory> directory;
  private final WatchedKeys watched;
  private final PublishOptions expectStream;

  /** @param watched the keys whose events this node's tail decodes and hands on */
  public JetStreamEventLog(NatsCluster nats, Supplier<Directory> directory, WatchedKeys watched) {
    this.nats = nats;
    this.directory = directory;
    this.watched = watched;
    this.expectStream = PublishOptions.builder().expectedStream(nats.stream()).build();
  }

  /**
   * Appends without waiting: completes on JetStream's acknowledgement (its stream sequence is the
   * seq), or fails when none came within {@code cluster.publishTimeoutMs}. Refuses at once while
   * NATS is away. One connection keeps the appends of one thread in order. The key goes as the
   * message id, so the stream drops a repeat within its duplicate window and acknowledges it
   * with the first message's sequence.
   */
  @Override
  public CompletionStage<Appended> append(Event unsequenced, String idempotencyKey) {
    if (!nats.connected()) {
      return CompletableFuture.failedFuture(
          new LogUnavailableException("event log unavailable: NATS not connected"));
    }
    PublishOptions options =
        idempotencyKey == null
            ? expectStream
            : PublishOptions.builder()
                .expectedStream(nats.stream())
                .messageId(idempotencyKey)
                .build();
    return appendNow(
            nats.subjects().append(unsequenced),
            EventCodec.encode(unsequenced, System.currentTimeMillis()),
            options)
        .thenApply(ack -> new Appended(unsequenced.withSeq(ack.getSeqno()), ack.isDuplicate()));
  }

  /** Appends a registry change; completes with its seq, as {@link #append} does. */
  CompletionStage<Long> append(RegistryChange change) {
    if (!nats.connected()) {
      return CompletableFuture.failedFuture(
          new LogUnavailableException("event log unavailable: NATS not connected"));
    }
    return appendNow(nats.subjects().registry(), NatsRegistryChanges.encode(change), expectStream)
        .thenApply(PublishAck::getSeqno);
  }

  private CompletionStage<PublishAck> appendNow(
      String subject, byte[] data, PublishOptions options) {
    CompletableFuture<PublishAck> acked;
    try {
      acked = nats.jetStream().publishAsync(subject, data, options);
    } catch (IllegalStateException closing) {
      return CompletableFuture.failedFuture(
          new LogUnavailableException("event log unavailable: " + closing.getMessage()));
    }
    return acked
        .orTimeout(nats.config().publishTimeoutMs(), TimeUnit.MILLISECONDS)
        .handle(
            (ack, failure) -> {
              if (failure != null) {
                throw new LogUnavailableException(
                    "event log unavailable: " + why(Completions.cause(failure)));
              }
              return ack;
            });
  }

  /** Tails the whole stream from NATS, in stream order (see {@link JetStreamTail}). */
  @Override
  public LogTail tail(long afterSeq, Consumer<LogEntry> next) {
    return new JetStreamTail(nats, this, afterSeq, next);
  }

  /** The log entry of one stored message: a registry change, a watched event, or a position to move past. */
  LogEntry entry(String subject, byte[] data, long seq) {
    if (subject.equals(nats.subjects().registry())) {
      return LogEntry.change(seq, NatsRegistryChanges.decode(data));
    }
    List<SubKey> keys = nats.subjects().busKeys(subject);
    if (keys != null && !watched.watchesAny(keys)) {
      return LogEntry.unwatched(seq); // not parsed: most events of a cluster are for other nodes
    }
    Event event = EventCodec.decode(data, seq, System.currentTimeMillis());
    if (event == null) {
      LOG.warn("unreadable event at seq {} skipped", seq);
      return LogEntry.unwatched(seq);
    }
    return watched.watches(event) ? LogEntry.of(event) : LogEntry.unwatched(seq);
  }

  /** What went wrong, in the words of the innermost cause (jnats wraps the server's answer). */
  private String why(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "no acknowledgement within " + nats.config().publishTimeoutMs() + " ms";
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  @Override
  public CompletionStage<Long> head() {
    return CompletableFuture.supplyAsync(() -> state().getLastSequence(), nats.io());
  }

  /** The newest seq, read now on the calling thread. */
  long headNow() {
    return state().getLastSequence();
  }

  @Override
  public CompletionStage<History> read(SubKey key, long afterSeq, long upToSeq) {
    return CompletableFuture.supplyAsync(
        () -> {
          boolean complete = afterSeq >= state().getFirstSequence() - 1;
          List<Event> events = new ArrayList<>();
          for (Event event :
              readNow(nats.subjects().history(key, directory.get()), afterSeq, upToSeq)) {
            if (event.keys().contains(key)) {
              events.add(event);
            }
          }
          return new History(events, complete);
        },
        nats.io());
  }

  /** The held events on subjects matching {@code filter} with a seq in (after, upTo], on the calling thread. */
  List<Event> readNow(String filter, long afterSeq, long upToSeq) {
    List<Event> events = new ArrayList<>();
    read(
        filter,
        afterSeq,
        upToSeq,
        (seq, message) -> {
          Event event = EventCodec.decode(message.getData(), seq, System.currentTimeMillis());
          if (event == null) {
            LOG.warn("unreadable event at seq {} skipped", seq);
          } else {
            events.add(event);
          }
        });
    return events;
  }

  /** The entries of the whole stream with a seq in (after, upTo], as the tail hands them on, on the calling thread. */
  List<LogEntry> entriesNow(long afterSeq, long upToSeq) {
    List<LogEntry> entries = new ArrayList<>();
    read(
        null,
        afterSeq,
        upToSeq,
        (seq, message) -> entries.add(entry(message.getSubject(), message.getData(), seq)));
    return entries;
  }

  /** Reads the stored messages on {@code filter} (null: all) with a seq in (after, upTo], oldest first. */
  private void read(String filter, long afterSeq, long upToSeq, BiConsumer<Long, Message> each) {
    if (afterSeq >= upToSeq) {
      return;
    }
    try {
      OrderedConsumerConfiguration from =
          new OrderedConsumerConfiguration()
              .deliverPolicy(DeliverPolicy.ByStartSequence)
              .startSequence(afterSeq + 1);
      OrderedConsumerContext consumer =
          nats.connection()
              .getStreamContext(nats.stream())
              .createOrderedConsumer(filter == null ? from : from.filterSubject(filter));
      while (true) {
        int got = 0;
        try (FetchConsumer fetch =
            consumer.fetch(FetchConsumeOptions.builder().maxMessages(BATCH).noWait().build())) {
          Message message;
          while ((message = fetch.nextMessage()) != null) {
            got++;
            long seq = message.metaData().streamSequence();
            if (seq > upToSeq) {
              return;
            }
            each.accept(seq, message);
          }
        }
        if (got < BATCH) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException("history read interrupted", e);
    } catch (Exception e) {
      throw new CompletionException("history read failed: " + e.getMessage(), e);
    }
  }

  private StreamState state() {
    try {
      return nats.management().getStreamInfo(nats.stream()).getStreamState();
    } catch (IOException | JetStreamApiException e) {
      throw new CompletionException("event log unavailable: " + e.getMessage(), e);
    }
  }
}
