package io.thingpush.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.core.subscription.SubKey;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node's interest on the bus: opened by the first subscription, closed after the last one leaves. */
class InterestsTest {
  private static final SubKey DEVICE =
      new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.device("k0", "d1"));
  private static final SubKey TEMP =
      new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.property("k0", "d1", "temp"));
  private static final SubKey HUM =
      new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.property("k0", "d1", "hum"));
  private static final SubKey PROJECT = new SubKey(SubCode.DEVICE_CONN, Target.project("p1"));

  /** A bus that records what it was told; opens complete when the test says. */
  private static final class RecordingBus implements ClusterBus {
    final List<String> calls = new ArrayList<>();
    final List<CompletableFuture<Void>> opens = new ArrayList<>();

    @Override
    public CompletionStage<Void> open(SubKey key) {
      calls.add("open " + key.target().kind() + " " + key.code().wire());
      CompletableFuture<Void> f = new CompletableFuture<>();
      opens.add(f);
      return f;
    }

    @Override
    public void close(SubKey key) {
      calls.add("close " + key.target().kind() + " " + key.code().wire());
    }
  }

  /** The close delay is an hour: the test runs the scheduled close itself, no waiting. */
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  private final RecordingBus bus = new RecordingBus();
  private final Interests interests = new Interests(bus, scheduler, 3_600_000);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private void runScheduledCloses() {
    for (Runnable task : scheduler.getQueue().toArray(new Runnable[0])) {
      scheduler.getQueue().remove(task);
      task.run();
    }
  }

  @Test
  void theFirstSubscriptionOpensAndTheOthersShareIt() {
    CompletionStage<Void> first = interests.acquire(DEVICE);
    CompletionStage<Void> second = interests.acquire(DEVICE);

    assertThat(bus.calls).containsExactly("open DEVICE devicePropertyReport");
    assertThat(first.toCompletableFuture()).isNotDone();
    bus.opens.get(0).complete(null);
    assertThat(second.toCompletableFuture()).isDone();
    assertThat(interests.whenOpen(DEVICE).toCompletableFuture()).isDone();
  }

  @Test
  void propertySubscriptionsListenOnTheirDevice() {
    interests.acquire(TEMP);
    interests.acquire(HUM);
    interests.acquire(DEVICE);

    assertThat(bus.calls).containsExactly("open DEVICE devicePropertyReport");
    assertThat(interests.open()).containsExactly(DEVICE);
  }

  @Test
  void theLastToLeaveClosesAfterTheDelayUnlessSomeoneCameBack() {
    interests.acquire(TEMP);
    interests.acquire(PROJECT);
    interests.release(TEMP);
    interests.acquire(TEMP);
    runScheduledCloses();
    assertThat(bus.calls)
        .as("came back before the delay ran out")
        .containsExactly("open DEVICE devicePropertyReport", "open PROJECT deviceConn");

    interests.release(TEMP);
    interests.release(PROJECT);
    assertThat(bus.calls).hasSize(2);
    runScheduledCloses();
    assertThat(bus.calls.subList(2, bus.calls.size()))
        .containsExactlyInAnyOrder("close DEVICE devicePropertyReport", "close PROJECT deviceConn");
    assertThat(interests.open()).isEmpty();
  }

  @Test
  void aFailedOpenIsTriedAgainByTheNextSubscriber() {
    interests.acquire(DEVICE);
    bus.opens.get(0).completeExceptionally(new IllegalStateException("NATS away"));

    CompletionStage<Void> again = interests.whenOpen(DEVICE);

    assertThat(bus.calls).hasSize(2);
    bus.opens.get(1).complete(null);
    assertThat(again.toCompletableFuture()).isCompleted();
  }
}
