package io.thingpush.core.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The index is a plain data structure: add, remove, look up by key (STYLE 2). */
class SubscriptionIndexTest {
  private static final SubKey DEVICE = new SubKey(SubCode.DEVICE_CONN, Target.device("k0", "d1"));
  private static final SubKey PROJECT = new SubKey(SubCode.DEVICE_CONN, Target.project("p-plant"));

  /** Two connections may be equal as values; the index must still tell them apart. */
  private record Conn(String name) {}

  private final SubscriptionIndex<Conn> index = new SubscriptionIndex<>();

  private List<Conn> subscribersOf(SubKey key) {
    List<Conn> seen = new ArrayList<>();
    index.forEach(key, seen::add);
    return seen;
  }

  @Test
  void addedSubscriberIsFoundUnderItsKey() {
    Conn a = new Conn("a");

    assertThat(index.add(DEVICE, a)).isTrue();

    assertThat(subscribersOf(DEVICE)).containsExactly(a);
    assertThat(subscribersOf(PROJECT)).isEmpty();
    assertThat(index.keyCount()).isEqualTo(1);
  }

  @Test
  void lookUpWorksWithAnEqualKeyBuiltSeparately() {
    Conn a = new Conn("a");
    index.add(new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.property("k0", "d1", "temp")), a);

    assertThat(
            subscribersOf(
                new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.property("k0", "d1", "temp"))))
        .containsExactly(a);
  }

  @Test
  void sameTargetUnderAnotherCodeIsAnotherKey() {
    Conn a = new Conn("a");
    index.add(new SubKey(SubCode.DEVICE_CONN, Target.device("k0", "d1")), a);

    assertThat(subscribersOf(new SubKey(SubCode.DEVICE_PUBLISH, Target.device("k0", "d1"))))
        .isEmpty();
    assertThat(subscribersOf(new SubKey(SubCode.DEVICE_CONN, Target.device("k0", "d2")))).isEmpty();
  }

  @Test
  void addingTwiceListsOnceAndHoldsUntilRemovedTwice() {
    Conn a = new Conn("a");
    index.add(DEVICE, a);

    assertThat(index.add(DEVICE, a)).isFalse();

    assertThat(subscribersOf(DEVICE)).containsExactly(a);
    assertThat(index.keyCount()).isEqualTo(1);
    assertThat(index.remove(DEVICE, a)).as("one hold is left").isFalse();
    assertThat(subscribersOf(DEVICE)).containsExactly(a);
    assertThat(index.remove(DEVICE, a)).as("the last hold").isTrue();
    assertThat(subscribersOf(DEVICE)).isEmpty();
    assertThat(index.keyCount()).isZero();
  }

  @Test
  void holdsOfOneSubscriberLeaveTheOthersAlone() {
    Conn a = new Conn("a");
    Conn b = new Conn("b");
    index.add(DEVICE, a);
    index.add(DEVICE, b);
    index.add(DEVICE, b);

    assertThat(index.remove(DEVICE, a)).isTrue();
    assertThat(index.remove(DEVICE, b)).isFalse();

    assertThat(subscribersOf(DEVICE)).containsExactly(b);
  }

  @Test
  void keyWithSeveralSubscribersCallsEachOnce() {
    Conn a = new Conn("a");
    Conn b = new Conn("b");
    Conn c = new Conn("c");
    index.add(DEVICE, a);
    index.add(DEVICE, b);
    index.add(DEVICE, c);
    index.add(PROJECT, b);

    assertThat(subscribersOf(DEVICE)).containsExactlyInAnyOrder(a, b, c);
    assertThat(subscribersOf(PROJECT)).containsExactly(b);
    assertThat(index.keyCount()).isEqualTo(2);
  }

  @Test
  void removeTakesOutOnlyThatSubscriber() {
    Conn a = new Conn("a");
    Conn b = new Conn("b");
    index.add(DEVICE, a);
    index.add(DEVICE, b);
    index.add(PROJECT, a);

    assertThat(index.remove(DEVICE, a)).isTrue();

    assertThat(subscribersOf(DEVICE)).containsExactly(b);
    assertThat(subscribersOf(PROJECT)).containsExactly(a);
  }

  @Test
  void removeOfAnAbsentSubscriberOrKeyReturnsFalseAndChangesNothing() {
    Conn a = new Conn("a");
    Conn b = new Conn("b");
    index.add(DEVICE, a);

    assertThat(index.remove(DEVICE, b)).isFalse();
    assertThat(index.remove(PROJECT, a)).isFalse();

    assertThat(subscribersOf(DEVICE)).containsExactly(a);
    assertThat(subscribersOf(PROJECT)).isEmpty();
    assertThat(index.keyCount()).isEqualTo(1);
  }

  @Test
  void removingTheLastSubscriberDropsTheKey() {
    Conn a = new Conn("a");
    Conn b = new Conn("b");
    index.add(DEVICE, a);
    index.add(DEVICE, b);
    index.add(PROJECT, a);

    index.remove(DEVICE, a);
    assertThat(index.keyCount()).isEqualTo(2);
    index.remove(DEVICE, b);
    assertThat(index.keyCount()).isEqualTo(1);
    index.remove(PROJECT, a);

    assertThat(index.keyCount()).isZero();
    assertThat(subscribersOf(DEVICE)).isEmpty();
    assertThat(index.remove(DEVICE, a)).isFalse();
  }

  @Test
  void aKeyCanBeReAddedAfterItWasDropped() {
    Conn a = new Conn("a");
    index.add(DEVICE, a);
    index.remove(DEVICE, a);

    assertThat(index.add(DEVICE, a)).isTrue();

    assertThat(subscribersOf(DEVICE)).containsExactly(a);
    assertThat(index.keyCount()).isEqualTo(1);
  }

  @Test
  void subscribersAreComparedByIdentityNotEquality() {
    Conn first = new Conn("same");
    Conn second = new Conn("same");
    assertThat(first).isEqualTo(second);

    assertThat(index.add(DEVICE, first)).isTrue();
    assertThat(index.add(DEVICE, second)).isTrue();
    assertThat(subscribersOf(DEVICE)).hasSize(2);

    index.remove(DEVICE, second);

    assertThat(subscribersOf(DEVICE)).hasSize(1);
    assertThat(subscribersOf(DEVICE).get(0)).isSameAs(first);
    assertThat(index.remove(DEVICE, new Conn("same"))).isFalse();
    assertThat(subscribersOf(DEVICE).get(0)).isSameAs(first);
  }

  @Test
  void forEachOfAnUnknownKeyCallsNothing() {
    index.forEach(
        DEVICE,
        c -> {
          throw new AssertionError("called for " + c);
        });
  }

  @Test
  void changesDuringAnIterationDoNotDisturbIt() {
    Conn a = new Conn("a");
    Conn b = new Conn("b");
    Conn late = new Conn("late");
    index.add(DEVICE, a);
    index.add(DEVICE, b);
    List<Conn> seen = new ArrayList<>();

    index.forEach(
        DEVICE,
        c -> {
          seen.add(c);
          index.add(DEVICE, late);
          index.remove(DEVICE, a);
          index.remove(DEVICE, b);
        });

    assertThat(seen).containsExactlyInAnyOrder(a, b);
    assertThat(subscribersOf(DEVICE)).containsExactly(late);
  }

  @Test
  void concurrentAddsAndRemovesWithAReaderIterating() throws Exception {
    int writers = 4;
    int perWriter = 2_000;
    List<SubKey> keys =
        List.of(
            DEVICE,
            PROJECT,
            new SubKey(SubCode.DEVICE_CONN, Target.area("p-plant", "a-hall")),
            new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.property("k0", "d1", "temp")));
    List<List<Conn>> kept = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      kept.add(new ArrayList<>());
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong nulls = new AtomicLong();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perWriter; i++) {
                    Conn c = new Conn("w" + writer + "-" + i);
                    SubKey key = keys.get(i % keys.size());
                    assertThat(index.add(key, c)).isTrue();
                    if ((i / keys.size()) % 2 == 1) {
                      assertThat(index.remove(key, c)).isTrue();
                    } else {
                      kept.get(writer).add(c);
                    }
                  }
                  return null;
                }));
      }
      Future<Long> reader =
          pool.submit(
              () -> {
                start.await();
                long reads = 0;
                // Bounded: stops when the writers are done, or after a fixed number of passes.
                while (writing.get() && reads < 2_000_000) {
                  for (SubKey key : keys) {
                    index.forEach(
                        key,
                        c -> {
                          if (c == null) {
                            nulls.incrementAndGet();
                          }
                        });
                    reads++;
                  }
                }
                return reads;
              });
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      reader.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(nulls).hasValue(0);
    Set<Conn> expected = new HashSet<>();
    kept.forEach(expected::addAll);
    Set<Conn> actual = new HashSet<>();
    int total = 0;
    for (SubKey key : keys) {
      List<Conn> under = subscribersOf(key);
      total += under.size();
      actual.addAll(under);
    }
    assertThat(total).isEqualTo(writers * perWriter / 2);
    assertThat(actual).isEqualTo(expected);
    assertThat(index.keyCount()).isEqualTo(keys.size());
  }

  @Test
  void concurrentRemovalOfEverythingLeavesNoKey() throws Exception {
    int threads = 4;
    int perThread = 1_000;
    List<List<Conn>> mine = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Conn> conns = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        Conn c = new Conn("t" + t + "-" + i);
        index.add(i % 2 == 0 ? DEVICE : PROJECT, c);
        conns.add(c);
      }
      mine.add(conns);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<Conn> conns = mine.get(t);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < conns.size(); i++) {
                    assertThat(index.remove(i % 2 == 0 ? DEVICE : PROJECT, conns.get(i))).isTrue();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(index.keyCount()).isZero();
    assertThat(subscribersOf(DEVICE)).isEmpty();
    assertThat(subscribersOf(PROJECT)).isEmpty();
  }
}
