package io.thingpush.bench.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.thingpush.bench.Mix;
import io.thingpush.bench.load.LoadClients;
import io.thingpush.bench.load.Receipts;
import io.thingpush.bench.load.ThingPushDialect;
import io.thingpush.bench.run.Runs;
import io.thingpush.bench.run.ServerProcess;
import io.thingpush.bench.run.ThingPushApps;
import io.thingpush.bench.server.BenchEvent;
import io.thingpush.server.net.NativeTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The platform publish API under keep-alive load, with apps receiving what is published. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Starts a ThingPush node in its own JVM, connects apps subscribed to the whole project, and sends",
      "devicePropertyReport events to POST /api/v1/push/publish over keep-alive connections, one request at a",
      "time on each. Reports publishes/s answered 200, latency from each request's due time to its answer",
      "(p50/p99/p99.9), errors, deliveries/s and losses at the apps, server and generator CPU. Loopback only.",
      "",
      "Example: thingpush-bench publish --connections 32 --loads max,50%%"
    },
    footer = {
      "",
      "Loads: max (each connection sends its next request on the answer), NN%% of this run's max, or publishes/s."
    })
public final class PublishCommand implements Callable<Integer> {
  static final String HEADER =
      "| date | machine | connections | apps | load | publishes/s | p50 ms | p99 ms | p99.9 ms "
          + "| errors | deliveries/s | lost | server CPU cores | server CPU µs/publish | generator CPU µs/publish |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Option(
      names = "--connections",
      defaultValue = "32",
      description = "Keep-alive connections, 1..1000 (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--apps",
      defaultValue = "1",
      description = "Apps subscribed to the project, 0..1000 (default ${DEFAULT-VALUE}).")
  int apps;

  @Option(
      names = "--devices",
      defaultValue = "100",
      description = "Devices the events cycle through (default ${DEFAULT-VALUE}).")
  int devices;

  @Option(
      names = "--loads",
      defaultValue = "max,50%",
      split = ",",
      description = "Load steps, in order (default ${DEFAULT-VALUE}).")
  List<String> loads;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Seconds per load step, 1..120 (default ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description = "Seconds at the start of each step left out (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--jit-warmup",
      defaultValue = "5",
      description = "Seconds flat out before the first step, left out (default ${DEFAULT-VALUE}).")
  int jitWarmupSeconds;

  @Option(
      names = "--frame-bytes",
      defaultValue = "250",
      description = "Size of a pushed frame (default ${DEFAULT-VALUE}).")
  int frameBytes;

  @Option(
      names = "--server-jvm",
      defaultValue = ServerProcess.DEFAULT_JVM,
      description = "JVM options of the node (default ${DEFAULT-VALUE}).")
  String serverJvm;

  @Option(
      names = "--out",
      defaultValue = "bench-results",
      description = "Folder for publish.md and the JSON files (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--label",
      defaultValue = "",
      description = "A name for this run, in the JSON file name.")
  String label;

  @Spec CommandSpec spec;

  /** One load step; latencies in ms from each request's due time to its answer. */
  public record Step(
      String load,
      double offeredPerSecond,
      long requests,
      double publishesPerSecond,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      long errors,
      double deliveriesPerSecond,
      long lost,
      double serverCpuCores,
      double serverCpuMicrosPerPublish,
      double generatorCpuMicrosPerPublish) {}

  public record Run(
      String date,
      String machine,
      String command,
      int connections,
      int apps,
      long closed,
      List<Step> steps) {}

  @Override
  public Integer call() throws Exception {
    check();
    PrintWriter log = spec.commandLine().getErr();
    String date = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
    String machine = Runs.machine();
    NativeTransport transport = NativeTransport.best();
    EventLoopGroup group = transport.group(2);
    PublishStats stats = new PublishStats();
    List<Step> steps = new ArrayList<>();
    long closed;
    try (ServerProcess node =
            ServerProcess.start(
                Arrays.stream(serverJvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                List.of(
                    "server",
                    "--devices",
                    Integer.toString(devices),
                    "--frame-bytes",
                    Integer.toString(frameBytes)),
                log,
                TIMEOUT);
        LoadClients clients = new LoadClients(1, new Receipts())) {
      if (apps > 0) {
        clients.connect(
            URI.create("ws://127.0.0.1:" + node.port("ws") + "/"),
            apps,
            k ->
                new ThingPushDialect(
                    ThingPushApps.target(), Mix.parse("project").subscribeMessage(k, devices)),
            k -> false,
            1,
            false,
            TIMEOUT);
      }
      List<PublishConnection> publishers = connect(group, transport, node.port("http"), stats);
      log.printf(Locale.ROOT, "publish: %d connections, %d apps%n", connections, apps);
      if (jitWarmupSeconds > 0) {
        drive(publishers, 0, Duration.ofSeconds(jitWarmupSeconds));
        Thread.sleep(jitWarmupSeconds * 1000L + 500);
      }
      double max = Double.NaN;
      for (String load : loads) {
        Step step = step(publishers, stats, clients.receipts(), node, load, max);
        if (load.equals("max")) {
          max = step.publishesPerSecond();
        }
        log.printf(
            Locale.ROOT,
            "publish %s: %,.0f publishes/s, p50 %.2f ms, p99 %.2f ms, errors %d, lost %d%n",
            step.load(),
            step.publishesPerSecond(),
            step.p50Ms(),
            step.p99Ms(),
            step.errors(),
            step.lost());
        steps.add(step);
      }
      closed = stats.closedCount();
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    Run run =
        new Run(
            date,
            machine,
            "thingpush-bench publish "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
            connections,
            apps,
            closed,
            steps);
    Path json = write(run);
    PrintWriter console = spec.commandLine().getOut();
    console.print(HEADER);
    rows(run).forEach(console::println);
    console.println("Written: " + out.resolve("publish.md") + ", " + json);
    console.flush();
    return 0;
  }

  private void check() {
    if (connections < 1
        || connections > 1000
        || apps < 0
        || apps > 1000
        || devices < 1
        || devices > 100_000) {
      throw new IllegalArgumentException(
          "--connections must be 1..1000, --apps 0..1000, --devices 1..100000");
    }
    if (durationSeconds < 1
        || durationSeconds > 120
        || warmupSeconds < 0
        || warmupSeconds >= durationSeconds
        || jitWarmupSeconds < 0
        || jitWarmupSeconds > 60) {
      throw new IllegalArgumentException(
          "--duration must be 1..120 s, --warmup shorter, --jit-warmup 0..60 s");
    }
    for (String load : loads) {
      if (!load.equals("max") && !load.matches("[0-9]+(\\.[0-9]+)?%?")) {
        throw new IllegalArgumentException("--loads: max, NN% or publishes/s, not " + load);
      }
    }
  }

  private List<PublishConnection> connect(
      EventLoopGroup group, NativeTransport transport, int port, PublishStats stats)
      throws InterruptedException {
    String pad = BenchEvent.pad(frameBytes);
    List<PublishConnection> publishers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      PublishConnection publisher =
          new PublishConnection("127.0.0.1:" + port, c, devices, pad, stats);
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(transport.socketChannel())
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline().addLast(new HttpResponseDecoder()).addLast(publisher);
                    }
                  })
              .connect("127.0.0.1", port)
              .sync()
              .channel();
      if (!channel.isActive()) {
        throw new IllegalStateException("publish connection " + c + " did not open");
      }
      publishers.add(publisher);
    }
    return publishers;
  }

  private void drive(List<PublishConnection> publishers, double perSecond, Duration duration) {
    for (int c = 0; c < publishers.size(); c++) {
      double each = perSecond / publishers.size();
      publishers
          .get(c)
          .drive(each, perSecond > 0 ? (long) (1e9 / perSecond * c) : 0, duration.toNanos());
    }
  }

  private Step step(
      List<PublishConnection> publishers,
      PublishStats stats,
      Receipts receipts,
      ServerProcess node,
      String load,
      double max)
      throws Exception {
    double rate =
        load.equals("max") ? 0 : load.endsWith("%") ? share(load, max) : Double.parseDouble(load);
    long sent0 = stats.sentCount();
    long delivered0 = receipts.deliveries();
    Duration duration = Duration.ofSeconds(durationSeconds);
    drive(publishers, rate, duration);
    Thread.sleep(warmupSeconds * 1000L);
    stats.latencySinceLastCall();
    long t0 = System.nanoTime();
    long ok0 = stats.okCount();
    long failed0 = stats.failedCount();
    long d0 = receipts.deliveries();
    long cpu0 = node.cpuNanos();
    long self0 = ServerProcess.ProcStats.cpuNanos(ProcessHandle.current().pid());
    Thread.sleep((durationSeconds - warmupSeconds) * 1000L);
    long t1 = System.nanoTime();
    long ok1 = stats.okCount();
    long d1 = receipts.deliveries();
    long cpu1 = node.cpuNanos();
    long self1 = ServerProcess.ProcStats.cpuNanos(ProcessHandle.current().pid());
    Histogram latency = stats.latencySinceLastCall();
    // What is still on its way: every answer, and every delivery to every app (10 s at most).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline
        && (stats.okCount() + stats.failedCount() < stats.sentCount()
            || receipts.deliveries() - delivered0 < (stats.sentCount() - sent0) * apps)) {
      Thread.sleep(50);
    }
    double seconds = (t1 - t0) / 1e9;
    long published = ok1 - ok0;
    long requests = stats.sentCount() - sent0;
    return new Step(
        load.equals("max") || load.endsWith("%") ? load : load + "/s",
        rate,
        requests,
        published / seconds,
        latency.getValueAtPercentile(50) / 1e6,
        latency.getValueAtPercentile(99) / 1e6,
        latency.getValueAtPercentile(99.9) / 1e6,
        stats.failedCount() - failed0,
        (d1 - d0) / seconds,
        Math.max(0, requests * apps - (receipts.deliveries() - delivered0)),
        (cpu1 - cpu0) / 1e9 / seconds,
        published == 0 ? 0 : (cpu1 - cpu0) / 1e3 / published,
        published == 0 ? 0 : (self1 - self0) / 1e3 / published);
  }

  private static double share(String load, double max) {
    if (Double.isNaN(max)) {
      throw new IllegalArgumentException(
          "--loads " + load + " needs `max` earlier in the same run");
    }
    return Double.parseDouble(load.substring(0, load.length() - 1)) / 100 * max;
  }

  private List<String> rows(Run run) {
    List<String> rows = new ArrayList<>();
    for (Step s : run.steps()) {
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %s | %,.0f | %.2f | %.2f | %.2f | %d | %,.0f | %d | %.2f | %.2f | %.2f |",
              run.date(),
              run.machine(),
              run.connections(),
              run.apps(),
              s.load(),
              s.publishesPerSecond(),
              s.p50Ms(),
              s.p99Ms(),
              s.p999Ms(),
              s.errors(),
              s.deliveriesPerSecond(),
              s.lost(),
              s.serverCpuCores(),
              s.serverCpuMicrosPerPublish(),
              s.generatorCpuMicrosPerPublish()));
    }
    return rows;
  }

  private Path write(Run run) throws IOException {
    Files.createDirectories(out);
    Path markdown = out.resolve("publish.md");
    if (!Files.exists(markdown)) {
      Files.writeString(markdown, HEADER);
    }
    Files.writeString(markdown, String.join("\n", rows(run)) + "\n", StandardOpenOption.APPEND);
    String stamp = Runs.stamp();
    Path json = out.resolve("publish-" + stamp + (label.isEmpty() ? "" : "-" + label) + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), run);
    return json;
  }
}
