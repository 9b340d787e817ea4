package io.thingpush.core.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.InMemoryEventLog;
import io.thingpush.core.events.LogEntry;
import io.thingpush.core.events.LogTail;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The feed's rules, with a log whose tail drops, repeats and reorders entries on purpose: every
 * event reaches the fan-out once and in seq order, and a registry change read from the log is
 * applied between the same two events as it was appended.
 */
class FeedTest {
  /** A log of scripted entries: the test hands them to the feed as it likes; reads back answer from the script. */
  private static final class ScriptedLog implements EventLog, LogTail {
    final List<LogEntry> entries = new ArrayList<>();
    final List<Runnable> answers = new ArrayList<>();
    boolean readsWait;
    boolean readsFail;
    int reads;

    LogEntry event(long seq) {
      LogEntry entry =
          LogEntry.of(
              new Event(
                  seq,
                  SubCode.DEVICE_CONN,
                  "t",
                  "prod",
                  "d" + seq,
                  "p1",
                  List.of(),
                  Json.object().put("status", 1),
                  0));
      entries.add(entry);
      return entry;
    }

    LogEntry change(long seq) {
      LogEntry entry = LogEntry.change(seq, RegistryChange.ALL_BUT_DEVICES);
      entries.add(entry);
      return entry;
    }

    @Override
    public CompletionStage<List<LogEntry>> read(long afterSeq, long upToSeq) {
      reads++;
      if (readsFail) {
        return CompletableFuture.failedFuture(new IllegalStateException("log away"));
      }
      List<LogEntry> found =
          entries.stream().filter(e -> e.seq() > afterSeq && e.seq() <= upToSeq).toList();
      if (!readsWait) {
        return CompletableFuture.completedFuture(found);
      }
      // Answered when the test says, with what the log held when it was asked.
      CompletableFuture<List<LogEntry>> answer = new CompletableFuture<>();
      answers.add(() -> answer.complete(found));
      return answer;
    }

    @Override
    public LogTail tail(long afterSeq, Consumer<LogEntry> next) {
      return this;
    }

    @Override
    public CompletionStage<Appended> append(Event unsequenced, String idempotencyKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Long> head() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<History> read(SubKey key, long afterSeq, long upToSeq) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  private final ScriptedLog log = new ScriptedLog();
  private final List<String> fed = new CopyOnWriteArrayList<>();
  private final Feed feed =
      new Feed(log, 0, e -> fed.add("e" + e.seq()), change -> fed.add("change"));

  @Test
  void everyEventOnceAndInOrderWhenTheTailDropsRepeatsAndReorders() {
    feed.start();
    Random random = new Random(20261207);
    int n = 5_000;
    List<LogEntry> all = new ArrayList<>();
    for (long seq = 1; seq <= n; seq++) {
      all.add(seq % 97 == 0 ? log.change(seq) : log.event(seq));
    }
    // What the tail hands on: about 10% dropped, 10% repeated later, windows of up to 8 shuffled.
    List<LogEntry> arrivals = new ArrayList<>();
    for (int i = 0; i < n; i += 8) {
      List<LogEntry> window = new ArrayList<>(all.subList(i, Math.min(n, i + 8)));
      Collections.shuffle(window, random);
      for (LogEntry entry : window) {
        int roll = random.nextInt(10);
        if (roll == 0 && entry.seq() < n) {
          continue;
        }
        arrivals.add(entry);
        if (roll == 1) {
          arrivals.add(arrivals.get(random.nextInt(arrivals.size())));
        }
      }
    }
    arrivals.add(all.get(n - 1));
    arrivals.forEach(feed::accept);

    List<String> expected = new ArrayList<>();
    LongStream.rangeClosed(1, n).forEach(seq -> expected.add(seq % 97 == 0 ? "change" : "e" + seq));
    assertThat(fed).containsExactlyElementsOf(expected);
    assertThat(feed.lastFed()).isEqualTo(n);
    assertThat(feed.repeats()).as("repeats dropped").isPositive();
    assertThat(feed.gapReads()).as("gaps read back").isPositive();
  }

  @Test
  void anEventAboveTheNextIsHeldWhileTheGapIsReadAndWhatArrivesMeanwhileIsFedOnce() {
    feed.start();
    log.readsWait = true;
    LogEntry e1 = log.event(1);
    LogEntry e2 = log.event(2);
    LogEntry e3 = log.event(3);
    LogEntry e4 = log.event(4);

    feed.accept(e3);
    assertThat(fed).as("held: 1 and 2 are missing").isEmpty();
    assertThat(log.reads).isEqualTo(1);
    feed.accept(e1);
    feed.accept(e4);
    assertThat(fed).containsExactly("e1");
    feed.accept(e2);
    assertThat(fed)
        .as("the late one arrived live before the read returned")
        .containsExactly("e1", "e2", "e3", "e4");
    log.answers.forEach(Runnable::run);
    assertThat(fed)
        .as("the read's entries are repeats now")
        .containsExactly("e1", "e2", "e3", "e4");
  }

  @Test
  void whatTheGapReadFindsIsFedInOrderAndPositionsWithNothingAreSkipped() {
    feed.start();
    log.event(2);
    log.event(5);
    LogEntry e7 = log.event(7);

    feed.accept(e7);
    assertThat(fed)
        .as("seqs 1, 3, 4 and 6 hold nothing this node needs")
        .containsExactly("e2", "e5", "e7");
    assertThat(feed.lastFed()).isEqualTo(7);
    assertThat(log.reads).isEqualTo(1);
  }

  @Test
  void aFailedGapReadIsTriedAgainWhenTheNextEntryArrives() {
    feed.start();
    log.event(1);
    LogEntry e2 = log.event(2);
    LogEntry e3 = log.event(3);
    log.readsFail = true;
    feed.accept(e2);
    assertThat(fed).isEmpty();
    log.readsFail = false;
    feed.accept(e3);
    assertThat(fed).containsExactly("e1", "e2", "e3");
  }

  @Test
  void aRegistryChangeIsAppliedBetweenTheEventsAroundItAndWhenFedWaitsForIt() {
    List<String> seen = new ArrayList<>();
    Feed ordered =
        new Feed(
            log,
            0,
            e -> fed.add("e" + e.seq()),
            change -> {
              seen.add(String.join(",", fed));
              fed.add("change");
            });
    ordered.start();
    log.readsWait = true;
    LogEntry e1 = log.event(1);
    LogEntry change = log.change(2);
    LogEntry e3 = log.event(3);
    CompletableFuture<Void> applied = ordered.whenFed(2).toCompletableFuture();

    ordered.accept(e3);
    ordered.accept(change);
    assertThat(applied).isNotDone();
    ordered.accept(e1);
    assertThat(fed).containsExactly("e1", "change", "e3");
    assertThat(seen).containsExactly("e1");
    assertThat(applied).isDone();
    assertThat(ordered.whenFed(3)).isDone();
  }

  @Test
  void aChangeAppliedBeforeTheNextEventRunsBetweenTwoEvents() {
    feed.start();
    feed.accept(log.event(1));
    feed.applyBeforeNextEvent(() -> fed.add("swap"));
    feed.accept(log.event(2));
    assertThat(fed).containsExactly("e1", "swap", "e2");
  }

  @Test
  void theEmbeddedLogFeedsEachEventBeforeItsAppendCompletes() {
    InMemoryEventLog memory = new InMemoryEventLog(100, 60_000, Clock.systemUTC());
    Event unsequenced =
        new Event(0, SubCode.DEVICE_CONN, "t", "prod", "d", "p1", List.of(), Json.object(), 0);
    memory.append(unsequenced);
    List<Long> seqs = new ArrayList<>();
    Feed embedded = new Feed(memory, 0, e -> seqs.add(e.seq()), change -> {});
    embedded.start();
    assertThat(seqs).as("held before the feed started").containsExactly(1L);
    memory.append(unsequenced);
    assertThat(seqs).containsExactly(1L, 2L);
    embedded.close();
    memory.append(unsequenced);
    assertThat(seqs).as("a closed feed takes nothing").containsExactly(1L, 2L);
  }
}
