package io.thingpush.bench.jmh;

import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.SubscriptionIndex;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of matching one event against the index, in ns per event, for 1,000 to 1,000,000
 * subscriptions: an event looks up its few keys (property, device, two areas, project), so the
 * cost should not grow with the number of subscriptions. Each event here matches one
 * subscription of the million, like a dashboard watching one property among many.
 *
 * <p>{@link #matchOneEventWithShares} adds as many shares (devices shared with users, each routed
 * to a {@code {shareDevice: true}} subscription) as subscriptions: an event also looks up the
 * key of its device as shares reach it, one more hash look-up whatever the number of shares.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class SubscriptionMatchBenchmark {
  private static final int EVENT_KINDS = 1024;

  @Param({"1000", "10000", "100000", "1000000"})
  public int subscriptions;

  private final SubscriptionIndex<Object> index = new SubscriptionIndex<>();
  private final SubscriptionIndex<Object> withShares = new SubscriptionIndex<>();
  private List<SubKey>[] eventKeys;
  private List<SubKey>[] eventKeysWithShare;
  private int next;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    for (int s = 0; s < subscriptions; s++) {
      Object subscriber = new Object();
      index.add(property(s), subscriber);
      withShares.add(property(s), subscriber);
      withShares.add(shared(s), new Object());
    }
    // Events of devices spread over the subscribed ones, keys as Event computes them.
    eventKeys = new List[EVENT_KINDS];
    eventKeysWithShare = new List[EVENT_KINDS];
    for (int e = 0; e < EVENT_KINDS; e++) {
      int device = (int) ((long) e * subscriptions / EVENT_KINDS);
      eventKeys[e] =
          List.of(
              property(device),
              new SubKey(
                  SubCode.DEVICE_PROPERTY_REPORT, Target.device("bench-sensor", "dev-" + device)),
              new SubKey(
                  SubCode.DEVICE_PROPERTY_REPORT,
                  Target.area("p-bench", "a-" + device % 10 + "-" + device % 7)),
              new SubKey(
                  SubCode.DEVICE_PROPERTY_REPORT, Target.area("p-bench", "a-" + device % 10)),
              new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.project("p-bench")));
      List<SubKey> keys = new java.util.ArrayList<>(eventKeys[e]);
      keys.add(shared(device));
      eventKeysWithShare[e] = List.copyOf(keys);
    }
  }

  private static SubKey shared(int device) {
    return new SubKey(
        SubCode.DEVICE_PROPERTY_REPORT, Target.sharedDevice("bench-sensor", "dev-" + device));
  }

  private static SubKey property(int device) {
    return new SubKey(
        SubCode.DEVICE_PROPERTY_REPORT, Target.property("bench-sensor", "dev-" + device, "v"));
  }

  @Benchmark
  public void matchOneEvent(Blackhole matched) {
    List<SubKey> keys = eventKeys[next++ & (EVENT_KINDS - 1)];
    for (SubKey key : keys) {
      index.forEach(key, matched::consume);
    }
  }

  @Benchmark
  public void matchOneEventWithShares(Blackhole matched) {
    List<SubKey> keys = eventKeysWithShare[next++ & (EVENT_KINDS - 1)];
    for (SubKey key : keys) {
      withShares.forEach(key, matched::consume);
    }
  }
}
