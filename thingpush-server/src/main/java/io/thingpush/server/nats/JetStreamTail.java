package io.thingpush.server.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.MessageConsumer;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.thingpush.core.events.LogEntry;
import io.thingpush.core.events.LogTail;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's tail of the event stream: a JetStream ordered consumer of the whole stream, which
 * delivers in stream order and, when it sees a message missing, starts again after the last one
 * it delivered. After a reconnect or a slow-consumer drop it is started again at once, after the
 * last message it handed on, rather than waiting for missed heartbeats. Each message becomes a
 * log entry: a registry change, an event a connection of this node watches, or a position moved
 * past.
 */
final class JetStreamTail implements LogTail {
  private static final Logger LOG = LoggerFactory.getLogger(JetStreamTail.class);
  private static final long RETRY_MILLIS = 500;

  private final NatsCluster nats;
  private final JetStreamEventLog log;
  private final Consumer<LogEntry> next;
  private volatile MessageConsumer consumer;
  private volatile long lastSeen;
  private volatile boolean closed;

  JetStreamTail(NatsCluster nats, JetStreamEventLog log, long afterSeq, Consumer<LogEntry> next) {
    this.nats = nats;
    this.log = log;
    this.next = next;
    this.lastSeen = afterSeq;
    try {
      this.consumer = consumeAfter(afterSeq);
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot tail the event stream: " + e.getMessage(), e);
    }
    nats.onResume(this::restart);
  }

  private MessageConsumer consumeAfter(long seq) throws IOException, JetStreamApiException {
    return nats.connection()
        .getStreamContext(nats.stream())
        .createOrderedConsumer(
            new OrderedConsumerConfiguration()
                .deliverPolicy(DeliverPolicy.ByStartSequence)
                .startSequence(seq + 1))
        .consume(
            message -> {
              long at = message.metaData().streamSequence();
              lastSeen = Math.max(lastSeen, at);
              next.accept(log.entry(message.getSubject(), message.getData(), at));
            });
  }

  /** Starts a new consumer after the last message handed on (the feed drops what comes twice). */
  private void restart() {
    while (!closed) {
      try {
        consumer.stop();
        long after = lastSeen;
        consumer = consumeAfter(after);
        LOG.info("tailing the event stream again after seq {}", after);
        return;
      } catch (Exception e) {
        LOG.warn("tailing the event stream again failed ({}); retrying", e.toString());
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public CompletionStage<List<LogEntry>> read(long afterSeq, long upToSeq) {
    LOG.debug("reading back the stream after seq {} up to {}", afterSeq, upToSeq);
    return CompletableFuture.supplyAsync(() -> log.entriesNow(afterSeq, upToSeq), nats.io());
  }

  @Override
  public void close() {
    closed = true;
    consumer.stop();
  }
}
