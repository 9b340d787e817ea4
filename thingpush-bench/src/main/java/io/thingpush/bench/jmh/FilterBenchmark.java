package io.thingpush.bench.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.filter.Filter;
import io.thingpush.core.filter.FilterCompiler;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Payloads;
import io.thingpush.protocol.SubCode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a subscription filter costs, for the filters users write most: evaluations per second
 * over real push bodies (half of them pass); the time to compile a filter the compiler has not
 * seen (each call adds a new trailing comment) and one it has. An unfiltered subscription never
 * reaches the filter, so it pays none of this.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FilterBenchmark {
  /** A filter and the payloads it is evaluated over, cycled. */
  public enum Case {
    THRESHOLD(
        SubCode.DEVICE_PROPERTY_REPORT,
        "param > 30",
        "{'identifier': 'temp', 'param': 31.5}",
        "{'identifier': 'temp', 'param': 29}"),
    V2_TWO_FIELDS(
        SubCode.DEVICE_PROPERTY_REPORT_V2,
        "params.temp > 30 && params.humidity < 50",
        v2(31.5, 40),
        v2(31.5, 60)),
    OFFLINE(SubCode.DEVICE_CONN, "status == 2", "{'status': 2}", "{'status': 1}"),
    IDENTIFIER_IN(
        SubCode.DEVICE_PROPERTY_REPORT,
        "identifier in ['temp', 'humidity']",
        "{'identifier': 'humidity', 'param': 40}",
        "{'identifier': 'pressure', 'param': 1013}");

    final SubCode code;
    final String expression;
    final String[] payloads;

    Case(SubCode code, String expression, String... payloads) {
      this.code = code;
      this.expression = expression;
      this.payloads = payloads;
    }

    /** A V2 report of ten properties, as a sensor sends them. */
    private static String v2(double temp, int humidity) {
      return "{'params': {'temp': "
          + temp
          + ", 'humidity': "
          + humidity
          + ", 'pressure': 1013, 'co2': 412,"
          + " 'pm25': 8, 'battery': 87, 'rssi': -67, 'light': 320, 'noise': 41.5, 'door': 0}}";
    }
  }

  @Param public Case filter;

  private final FilterCompiler compiler = new FilterCompiler();
  private Filter compiled;
  private ObjectNode[] bodies;
  private int next;
  private long unseen;

  @Setup
  public void setUp() {
    compiled = compiler.compile(filter.code, filter.expression);
    bodies = new ObjectNode[filter.payloads.length];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] =
          Payloads.body(
              filter.code,
              "bench-sensor",
              "dev-1",
              Json.parseOrNull(filter.payloads[i].replace('\'', '"')),
              System.currentTimeMillis(),
              () -> "trace");
    }
  }

  /**
   * The benchmark thread's CPU time and calls per iteration: {@code cpuNanos / calls} is the CPU
   * cost of one call, which time spent waiting for a core on a shared machine does not inflate.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    public long cpuNanos;
    public long calls;
    private long start;

    @Setup(Level.Iteration)
    public void start() {
      cpuNanos = 0;
      calls = 0;
      start = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
      cpuNanos = THREADS.getCurrentThreadCpuTime() - start;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Filter.Verdict evaluate(CpuTime cpu) {
    cpu.calls++;
    return compiled.evaluate(bodies[next++ % bodies.length]);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Filter compile(CpuTime cpu) {
    cpu.calls++;
    return compiler.compile(filter.code, filter.expression + " // " + unseen++);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Filter compileSeen() {
    return compiler.compile(filter.code, filter.expression);
  }
}
