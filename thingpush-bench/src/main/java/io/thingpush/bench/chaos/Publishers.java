package io.thingpush.bench.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishers on the nodes' publish API, one request at a time each, paced to a share of the
 * total rate, publisher k through node k mod 2 (the other one once that node is dead, as a
 * platform's client would fail over) and for device k mod 10. Only acknowledged publishes (200
 * with a seq) count; whatever else (503, no answer) is counted as not taken. Bounded in time
 * and in count.
 */
final class Publishers {
  private final ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
  private final AtomicLong notTaken = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  /** Starts {@code count} publishers at {@code rate} publishes/s in all, for {@code duration}. */
  static Publishers start(ChaosCluster cluster, int count, double rate, Duration duration) {
    Publishers publishers = new Publishers();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    double nanosApart = 1e9 * count / rate;
    long perPublisher = (long) Math.ceil(duration.toNanos() / nanosApart) + 1;
    for (int k = 0; k < count; k++) {
      int publisher = k;
      Thread thread =
          new Thread(
              () -> {
                long offset = (long) (nanosApart * publisher / count);
                for (long i = 0; i < perPublisher; i++) {
                  long due = start + offset + (long) (i * nanosApart);
                  long now = System.nanoTime();
                  if (due >= end || now >= end) {
                    return;
                  }
                  if (due > now) {
                    try {
                      Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                  int node =
                      cluster.node(publisher % 2).alive() ? publisher % 2 : 1 - publisher % 2;
                  OptionalLong seq =
                      cluster.publish(
                          node, publisher % ChaosCluster.DEVICES, publisher * 1_000_000_000L + i);
                  if (seq.isPresent()) {
                    publishers.acknowledged.add(seq.getAsLong());
                  } else {
                    publishers.notTaken.incrementAndGet();
                  }
                }
              },
              "chaos-publisher-" + k);
      thread.setDaemon(true);
      publishers.threads.add(thread);
      thread.start();
    }
    return publishers;
  }

  /** Waits for every publisher to finish (its last request answered or timed out). */
  void join() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join();
    }
  }

  SortedSet<Long> acknowledged() {
    return new TreeSet<>(acknowledged);
  }

  long notTaken() {
    return notTaken.get();
  }
}
