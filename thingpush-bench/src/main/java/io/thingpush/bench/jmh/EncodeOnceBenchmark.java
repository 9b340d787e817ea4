package io.thingpush.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.events.Event;
import io.thingpush.core.fanout.Delivery;
import io.thingpush.core.fanout.FanoutMetrics;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.fanout.Recipient;
import io.thingpush.core.fanout.Transport;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.subscription.Subscription;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One event through the hub to {@code recipients} connections of one thread (transport writes
 * do nothing). The {@code encodes} counter counts JSON encodings: as many as events, whatever the
 * number of recipients.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodeOnceBenchmark {
  @Param({"1", "100", "10000"})
  public int recipients;

  private final Hub hub = new Hub();
  private ObjectNode body;
  private long seq;
  private Counters counters;

  /** Encodings and deliveries, reported by JMH beside the events per second. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Counters implements FanoutMetrics {
    public long encodes;
    public long deliveries;

    @Override
    public void encoded() {
      encodes++;
    }

    @Override
    public void pushed(long nanos, int frames) {
      deliveries += frames;
    }

    @Setup(Level.Iteration)
    public void reset() {
      encodes = 0;
      deliveries = 0;
    }
  }

  @Setup
  public void setUp(Counters counters) {
    this.counters = counters;
    ScheduledExecutorService inline =
        new ScheduledThreadPoolExecutor(1) {
          @Override
          public void execute(Runnable task) {
            task.run();
          }
        };
    SubKey project = new SubKey(SubCode.DEVICE_PROPERTY_REPORT, Target.project("p-bench"));
    for (int r = 0; r < recipients; r++) {
      Recipient recipient =
          new Recipient(new NoWrites(inline), Lang.ZH, new Delivery(10_000, 1 << 22, counters));
      hub.subscribe(recipient, new Subscription(project, Json.object(), 0, null));
    }
    body = Json.object();
    body.putObject("device").put("productID", "bench-sensor").put("deviceName", "dev-1");
    body.put("timestamp", "1795663537021").put("identifier", "v").put("param", 21.5);
  }

  @Benchmark
  public long publishOneEvent() {
    hub.publish(
        new Event(
            ++seq,
            SubCode.DEVICE_PROPERTY_REPORT,
            "default",
            "bench-sensor",
            "dev-1",
            "p-bench",
            List.of(),
            body,
            System.nanoTime()));
    return counters.encodes;
  }

  /** A transport that takes every frame and sends nothing. */
  private record NoWrites(ScheduledExecutorService executor) implements Transport {
    @Override
    public boolean isWritable() {
      return true;
    }

    @Override
    public void write(byte[] frame) {}

    @Override
    public void flush() {}

    @Override
    public void close(CloseCode code, String reason) {}
  }
}
