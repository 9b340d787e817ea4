package io.thingpush.bench;

import io.thingpush.bench.run.Load;
import io.thingpush.bench.run.Report;
import io.thingpush.bench.run.Results;
import io.thingpush.bench.run.Runs;
import io.thingpush.bench.run.ServerProcess;
import io.thingpush.bench.run.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the load generator against the baseline and ThingPush, each in a JVM of its own, and reports both. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Starts the raw Netty baseline and a ThingPush node, each in its own JVM on 127.0.0.1, opens the same",
      "connections to each, drives the same events at each load and reports deliveries/s, latency from the",
      "send time carried in each event to its receipt (p50/p99/p99.9/max), server CPU, heap and RSS per",
      "connection, closes and losses, with ThingPush ÷ baseline. Writes Markdown rows and a JSON file.",
      "",
      "Example: thingpush-bench run --connections 1000 --mix project --loads max,10%%,25%%,50%%"
    },
    footer = {
      "",
      "Mixes: project | property | device | area, or weights such as property:70,device:20,area:5,project:5.",
      "Loads: max (flat out), NN%% (share of the baseline's max deliveries/s in this run) or events/s."
    })
public final class RunCommand implements Callable<Integer> {
  static final int MAX_CONNECTIONS = 100_000;

  @Option(
      names = "--connections",
      defaultValue = "1000",
      description = "WebSocket connections (1..100000; default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--mix",
      defaultValue = "project",
      description = "Subscription mix (default ${DEFAULT-VALUE}).")
  String mix;

  @Option(
      names = "--devices",
      description = "Devices events cycle through (default: the connections, rounded up to 100).")
  Integer devices;

  @Option(
      names = "--loads",
      defaultValue = "max,10%,25%,50%",
      split = ",",
      description =
          "Load steps, in order (default ${DEFAULT-VALUE}); `none` measures memory at rest only.")
  List<String> loads;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Seconds per load step, 1..120 (default ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description =
          "Seconds at the start of each step left out of the figures (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--jit-warmup",
      defaultValue = "5",
      description =
          "Seconds flat out before the first step of each server, left out (default ${DEFAULT-VALUE}).")
  int jitWarmupSeconds;

  @Option(
      names = "--servers",
      defaultValue = "baseline,thingpush",
      split = ",",
      description = "Servers to run, in order, in each repeat (default ${DEFAULT-VALUE}).")
  List<String> servers;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description = "Repeats of the whole sequence, 1..10 (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--stalled",
      defaultValue = "0",
      description =
          "Percent of connections that stop reading once subscribed (default ${DEFAULT-VALUE}).")
  int stalledPercent;

  @Option(
      names = "--filtered",
      defaultValue = "0",
      description = {
        "Percent of ThingPush connections whose subscription has a filter that every bench event passes",
        "(`param.sent > 0`): what evaluating filters costs, deliveries unchanged (default ${DEFAULT-VALUE})."
      })
  int filteredPercent;

  @Option(names = "--deflate", description = "Clients offer permessage-deflate.")
  boolean deflate;

  @Option(
      names = "--frame-bytes",
      defaultValue = "250",
      description = "Size of a pushed frame (default ${DEFAULT-VALUE}).")
  int frameBytes;

  @Option(
      names = "--source-addresses",
      defaultValue = "4",
      description = "Loopback source addresses 127.0.0.1..N (default ${DEFAULT-VALUE}).")
  int sourceAddresses;

  @Option(
      names = "--client-threads",
      defaultValue = "2",
      description = "Generator threads (default ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(
      names = "--server-jvm",
      defaultValue = ServerProcess.DEFAULT_JVM,
      description = "JVM options of each server, space-separated (default ${DEFAULT-VALUE}).")
  String serverJvm;

  @Option(
      names = "--out",
      defaultValue = "bench-results",
      description = "Folder for results.md and the JSON files (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--label",
      defaultValue = "",
      description = "A name for this run, in the JSON file name.")
  String label;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Settings settings = settings();
    PrintWriter console = spec.commandLine().getOut();
    Results.Run run =
        Runs.run(
            settings,
            servers,
            repeat,
            String.join(" ", spec.commandLine().getParseResult().originalArgs()),
            spec.commandLine().getErr());
    Path json = Runs.write(run, out, label);
    console.println(Report.HEADER.strip());
    Report.rows(run).forEach(console::println);
    console.println("Written: " + out.resolve("results.md") + ", " + json);
    console.flush();
    return 0;
  }

  Settings settings() {
    if (connections < 1 || connections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("--connections must be 1.." + MAX_CONNECTIONS);
    }
    if (durationSeconds < 1
        || durationSeconds > 120
        || warmupSeconds < 0
        || warmupSeconds >= durationSeconds) {
      throw new IllegalArgumentException(
          "--duration must be 1..120 s and --warmup shorter than it");
    }
    if (jitWarmupSeconds < 0 || jitWarmupSeconds > 60) {
      throw new IllegalArgumentException("--jit-warmup must be 0..60 s");
    }
    if (repeat < 1 || repeat > 10) {
      throw new IllegalArgumentException("--repeat must be 1..10");
    }
    if (stalledPercent < 0 || stalledPercent > 50) {
      throw new IllegalArgumentException("--stalled must be 0..50 percent");
    }
    if (filteredPercent < 0 || filteredPercent > 100) {
      throw new IllegalArgumentException("--filtered must be 0..100 percent");
    }
    if (sourceAddresses < 1 || sourceAddresses > 250) {
      throw new IllegalArgumentException("--source-addresses must be 1..250");
    }
    for (String s : servers) {
      if (!s.equals("baseline") && !s.equals("thingpush")) {
        throw new IllegalArgumentException("--servers: baseline or thingpush, not " + s);
      }
    }
    Mix parsed = Mix.parse(mix);
    if (servers.contains("baseline") && parsed.baseline() == Mix.Baseline.NONE) {
      throw new IllegalArgumentException(
          "--mix " + mix + " has no baseline equivalent: run it with --servers thingpush");
    }
    int deviceCount = devices != null ? devices : Math.max(100, (connections + 99) / 100 * 100);
    List<Load> steps =
        loads.equals(List.of("none")) ? List.of() : loads.stream().map(Load::parse).toList();
    return new Settings(
        connections,
        deviceCount,
        parsed,
        steps,
        Duration.ofSeconds(durationSeconds),
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(jitWarmupSeconds),
        stalledPercent,
        filteredPercent,
        deflate,
        frameBytes,
        sourceAddresses,
        clientThreads,
        Arrays.stream(serverJvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
  }
}
