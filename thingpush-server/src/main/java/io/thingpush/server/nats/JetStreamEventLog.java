package io.thingpush.server.nats;

import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamState;
import io.nats.client.PublishOptions;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Completions;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster event log: a JetStream stream whose sequence is every event's {@code seq}.
 * History is the stream itself, bounded by {@code history.maxEvents} and {@code maxAgeMs}.
 */
public final class JetStreamEventLog implements EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(JetStreamEventLog.class);
  private static final int BATCH = 512;

  private final NatsCluster nats;
  private final Supplier<Directory> directory;
  private final PublishOptions expectStream;

  public JetStreamEventLog(NatsCluster nats, Supplier<Directory> directory) {
    this.nats = nats;
    this.directory = directory;
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
      return CompletableFuture.failedFuture(new LogUnavailableException("event log unavailable: NATS not connected"));
    }
    PublishOptions options = idempotencyKey == null
        ? expectStream
        : PublishOptions.builder().expectedStream(nats.stream()).messageId(idempotencyKey).build();
    CompletableFuture<PublishAck> acked;
    try {
      acked = nats.jetStream().publishAsync(
          nats.subjects().append(unsequenced), EventCodec.encode(unsequenced, System.currentTimeMillis()), options);
    } catch (IllegalStateException closing) {
      return CompletableFuture.failedFuture(new LogUnavailableException("event log unavailable: " + closing.getMessage()));
    }
    return acked
        .orTimeout(nats.config().publishTimeoutMs(), TimeUnit.MILLISECONDS)
        .handle((ack, failure) -> {
          if (failure != null) {
            throw new LogUnavailableException("event log unavailable: " + why(Completions.cause(failure)));
          }
          return new Appended(unsequenced.withSeq(ack.getSeqno()), ack.isDuplicate());
        });
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
    return CompletableFuture.supplyAsync(() -> {
      boolean complete = afterSeq >= state().getFirstSequence() - 1;
      List<Event> events = new ArrayList<>();
      for (Event event : readNow(nats.subjects().history(key, directory.get()), afterSeq, upToSeq)) {
        if (event.keys().contains(key)) {
          events.add(event);
        }
      }
      return new History(events, complete);
    }, nats.io());
  }

  /** The held events on subjects matching {@code filter} with a seq in (after, upTo], on the calling thread. */
  List<Event> readNow(String filter, long afterSeq, long upToSeq) {
    List<Event> events = new ArrayList<>();
    if (afterSeq >= upToSeq) {
      return events;
    }
    try {
      OrderedConsumerContext consumer = nats.connection().getStreamContext(nats.stream())
          .createOrderedConsumer(new OrderedConsumerConfiguration()
              .filterSubject(filter)
              .deliverPolicy(DeliverPolicy.ByStartSequence)
              .startSequence(afterSeq + 1));
      while (true) {
        int got = 0;
        try (FetchConsumer fetch = consumer.fetch(FetchConsumeOptions.builder().maxMessages(BATCH).noWait().build())) {
          Message message;
          while ((message = fetch.nextMessage()) != null) {
            got++;
            long seq = message.metaData().streamSequence();
            if (seq > upToSeq) {
              return events;
            }
            Event event = EventCodec.decode(message.getData(), seq, System.currentTimeMillis());
            if (event == null) {
              LOG.warn("unreadable event at seq {} skipped", seq);
            } else {
              events.add(event);
            }
          }
        }
        if (got < BATCH) {
          return events;
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
