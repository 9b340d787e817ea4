package io.thingpush.core.events;

import io.thingpush.core.subscription.SubKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Where every event gets its {@code seq} and stays for a while as history (SPEC §7). Embedded
 * mode keeps it in memory; cluster mode keeps it in a NATS JetStream stream.
 */
public interface EventLog {
  /**
   * Appends an event built with seq 0. Completes with the event and its seq once the log holds
   * it, or fails with {@link LogUnavailableException} when the log cannot take events now
   * (nothing was appended). Appends complete in the order they were made.
   */
  default CompletionStage<Event> append(Event unsequenced) {
    return append(unsequenced, null).thenApply(Appended::event);
  }

  /**
   * Appends as {@link #append(Event)}, once per {@code idempotencyKey} (null: no key): while the
   * log remembers an event appended with the same key (its repeat window), nothing is appended
   * and it completes as a repeat carrying that event's seq.
   */
  CompletionStage<Appended> append(Event unsequenced, String idempotencyKey);

  /**
   * Appends {@code unsequenced}, built with seq 0, in their order: each gets a greater seq than
   * the one before it. Completes with the events and their seqs once the log holds them all, or
   * fails as {@link #append(Event)} does (then some may have been appended). This one appends
   * them one by one; a log that can take them at once does so.
   */
  default CompletionStage<List<Event>> append(List<Event> unsequenced) {
    List<CompletableFuture<Event>> appended =
        unsequenced.stream().map(e -> append(e).toCompletableFuture()).toList();
    return CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new))
        .thenApply(v -> appended.stream().map(CompletableFuture::join).toList());
  }

  /** The seq of the newest event in the log (0 when there was none yet). */
  CompletionStage<Long> head();

  /**
   * The held events matching {@code key} with a seq in ({@code afterSeq}, {@code upToSeq}],
   * oldest first, and whether history still reached back to {@code afterSeq + 1}.
   */
  CompletionStage<History> read(SubKey key, long afterSeq, long upToSeq);

  /**
   * What an append came to: the event with its seq, and whether it repeated the key of an event
   * the log already held (then nothing was appended and the seq is that event's).
   */
  record Appended(Event event, boolean repeat) {}

  /**
   * Starts handing every entry after {@code afterSeq} to {@code next}, one at a time. A log
   * hands them on in seq order as far as its transport keeps order: the receiving end (the
   * feed) does not rely on it, and reads back through the returned tail what did not arrive.
   */
  LogTail tail(long afterSeq, Consumer<LogEntry> next);

  /** A history read: the matching events and whether none after the asked seq was missing. */
  record History(List<Event> events, boolean complete) {}
}
