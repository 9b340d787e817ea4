package io.thingpush.bench.run;

import io.thingpush.bench.Mix;
import io.thingpush.bench.load.BaselineDialect;
import io.thingpush.bench.load.LoadClients;
import io.thingpush.bench.load.Receipts;
import io.thingpush.bench.load.ThingPushDialect;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Runs one server under test through the settings: connect, memory at rest, each load step. */
final class Bench {
  static final String THINGPUSH = "thingpush";
  static final String BASELINE = "baseline";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(300);

  /** Deliveries in flight when driving flat out: enough to keep every event loop busy. */
  private static final long WINDOW_DELIVERIES = 100_000;

  private final Settings settings;
  private final PrintWriter log;

  Bench(Settings settings, PrintWriter log) {
    this.settings = settings;
    this.log = log;
  }

  /**
   * Runs {@code server} ({@link #THINGPUSH} or {@link #BASELINE}); {@code baselineSaturation} is
   * the baseline's flat-out deliveries/s in this repeat (NaN when unknown).
   */
  Results.ServerRun run(String server, int repeat, double baselineSaturation) throws Exception {
    boolean thingpush = server.equals(THINGPUSH);
    List<String> sub =
        new ArrayList<>(
            List.of(
                thingpush ? "server" : "baseline",
                "--devices",
                Integer.toString(settings.devices()),
                "--frame-bytes",
                Integer.toString(settings.frameBytes())));
    if (!thingpush && settings.mix().baseline() == Mix.Baseline.ONE) {
      sub.add("--unicast");
    }
    log.printf(Locale.ROOT, "%s (repeat %d): starting%n", server, repeat);
    Receipts receipts = new Receipts();
    try (ServerProcess process =
            ServerProcess.start(settings.serverJvm(), sub, log, START_TIMEOUT);
        LoadClients clients = new LoadClients(settings.clientThreads(), receipts)) {
      long heap0 = process.heapAfterGc();
      long rss0 = process.rss();
      int ws = process.port("ws");
      log.printf(Locale.ROOT, "%s: connecting %,d clients%n", server, settings.connections());
      String target = thingpush ? ThingPushApps.target() : null;
      clients.connect(
          URI.create("ws://127.0.0.1:" + ws + "/"),
          settings.connections(),
          k ->
              thingpush
                  ? new ThingPushDialect(
                      target,
                      settings
                          .mix()
                          .subscribeMessage(
                              k, settings.devices(), settings.filtered(k) ? Mix.FILTER : null))
                  : new BaselineDialect(),
          settings::stalled,
          settings.sourceAddresses(),
          settings.deflate(),
          CONNECT_TIMEOUT);
      Thread.sleep(1000);
      double heapPer = (process.heapAfterGc() - heap0) / 1024.0 / settings.connections();
      double rssPer = (process.rss() - rss0) / 1024.0 / settings.connections();
      log.printf(
          Locale.ROOT,
          "%s: %,d connected; heap %.2f KiB, RSS %.2f KiB per connection%n",
          server,
          settings.connections(),
          heapPer,
          rssPer);
      if (!settings.jitWarmup().isZero()) {
        log.printf(
            Locale.ROOT,
            "%s: %d s flat out to warm up the JIT%n",
            server,
            settings.jitWarmup().toSeconds());
        Thread acks = drive(process, receipts, 0, settings.jitWarmup());
        process.await("driven", settings.jitWarmup().plus(Duration.ofSeconds(60)));
        acks.interrupt();
        acks.join();
        drain(receipts, Long.MAX_VALUE);
      }
      List<Results.Step> steps = new ArrayList<>();
      for (Load load : settings.loads()) {
        Results.Step step = step(process, receipts, load, baselineSaturation);
        if (!thingpush && load.kind() == Load.Kind.MAX) {
          baselineSaturation = step.deliveriesPerSecond();
        }
        log.printf(
            Locale.ROOT,
            "%s %s: %,.0f deliveries/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, server CPU %.2f cores%n",
            server,
            load.label(),
            step.deliveriesPerSecond(),
            step.p50Ms(),
            step.p99Ms(),
            step.p999Ms(),
            step.maxMs(),
            step.serverCpuCores());
        steps.add(step);
      }
      Map<String, Double> counters =
          thingpush ? Counters.scrape(process.port("management")) : Map.of();
      return new Results.ServerRun(
          server,
          process.readyField("transport"),
          repeat,
          settings.connections(),
          settings.stalledCount(),
          settings.mixLabel(),
          settings.deflate(),
          heapPer,
          rssPer,
          steps,
          receipts.closes(),
          counters);
    }
  }

  private Results.Step step(
      ServerProcess process, Receipts receipts, Load load, double baselineSaturation)
      throws Exception {
    double fanout = settings.fanout();
    double rate = load.eventsPerSecond(fanout, baselineSaturation);
    long before = receipts.deliveries();
    Thread acks = drive(process, receipts, rate, settings.duration());
    try {
      Thread.sleep(settings.warmup().toMillis());
      receipts.latencySinceLastCall();
      long d0 = receipts.deliveries();
      long cpu0 = process.cpuNanos();
      long self0 = ServerProcess.ProcStats.cpuNanos(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      String driven = process.await("driven", settings.duration().plus(Duration.ofSeconds(60)));
      long t1 = System.nanoTime();
      long d1 = receipts.deliveries();
      long cpu1 = process.cpuNanos();
      long self1 = ServerProcess.ProcStats.cpuNanos(ProcessHandle.current().pid());
      Histogram latency = receipts.latencySinceLastCall();
      if (acks != null) {
        acks.interrupt();
        acks.join();
        acks = null;
      }
      long events = Long.parseLong(driven.split(" ")[1]);
      drain(
          receipts,
          settings.stalledPercent() > 0 ? Long.MAX_VALUE : before + Math.round(events * fanout));
      long received = receipts.deliveries() - before;
      long lost =
          settings.stalledPercent() > 0 ? 0 : Math.max(0, Math.round(events * fanout) - received);
      double seconds = (t1 - t0) / 1e9;
      long delivered = d1 - d0;
      return new Results.Step(
          load.label(),
          rate,
          events,
          delivered / seconds,
          ms(latency.getValueAtPercentile(50)),
          ms(latency.getValueAtPercentile(99)),
          ms(latency.getValueAtPercentile(99.9)),
          ms(latency.getMaxValue()),
          (cpu1 - cpu0) / 1e9 / seconds,
          delivered == 0 ? 0 : (cpu1 - cpu0) / 1e3 / delivered,
          (self1 - self0) / 1e9 / seconds,
          delivered == 0 ? 0 : (self1 - self0) / 1e3 / delivered,
          lost);
    } finally {
      if (acks != null) {
        acks.interrupt();
      }
    }
  }

  /** Starts the driver; flat out ({@code rate} 0) returns the thread that acknowledges deliveries. */
  private Thread drive(ServerProcess process, Receipts receipts, double rate, Duration duration) {
    process.send(
        String.format(
            java.util.Locale.ROOT,
            "drive %.3f %d %.6f %d",
            rate,
            duration.toMillis(),
            settings.fanout(),
            WINDOW_DELIVERIES));
    return rate > 0 ? null : acknowledging(process, receipts);
  }

  /** Tells the driver every 2 ms how many deliveries arrived, so that it keeps a bounded window in flight. */
  private static Thread acknowledging(ServerProcess process, Receipts receipts) {
    Thread acks =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                process.send("ack " + receipts.deliveries());
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-acks");
    acks.setDaemon(true);
    acks.start();
    return acks;
  }

  /**
   * Waits for what is still on its way: until {@code expected} deliveries were counted, or none
   * came for a second (a backlog on 2 busy cores can pause for a few hundred ms), or 30 s.
   */
  private static void drain(Receipts receipts, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long last = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline && receipts.deliveries() < expected) {
      long now = receipts.deliveries();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > Duration.ofSeconds(1).toNanos()) {
        return;
      }
      Thread.sleep(50);
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
