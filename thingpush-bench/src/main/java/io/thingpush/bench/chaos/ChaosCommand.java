package io.thingpush.bench.chaos;

import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.observe.Logs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Fault scenarios on a two-node cluster of real processes; counts what each subscriber got. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs fault scenarios on a private nats-server and two ThingPush nodes in cluster mode, all started here on "
          + "free loopback ports, and prints per subscriber the events acknowledged, delivered, lost, duplicated and "
          + "out of order (docs/RELIABILITY.md). Exits 1 when any subscriber lost, got twice or out of order an "
          + "acknowledged event, or the revoked user got an event after the revoke. Every loop is bounded in count "
          + "and time.",
      "",
      "Short form (under a minute): thingpush-bench chaos",
      "Long form: thingpush-bench chaos --long"
    },
    footer = {"", "Scenarios: churn, nats-restart, nats-freeze, revoke, kill (run in this order)."})
public final class ChaosCommand implements Callable<Integer> {
  @Option(
      names = "--long",
      description = "The long form's defaults for the options below not given.")
  boolean longForm;

  @Option(names = "--scenarios", split = ",", description = "Scenarios to run (default all).")
  List<String> scenarios;

  @Option(
      names = "--duration",
      description = "Seconds each publishing scenario publishes, 2..600 (short 4, long 60).")
  Integer durationSeconds;

  @Option(
      names = "--rate",
      description = "Publishes per second over all publishers, 1..5000 (short 100, long 400).")
  Integer rate;

  @Option(
      names = "--publishers",
      description = "Publishers, alternating between the nodes, 1..64 (short 4, long 8).")
  Integer publishers;

  @Option(
      names = "--steady",
      description = "Subscribers per node connected throughout, 0..50 (short 1, long 2).")
  Integer steady;

  @Option(
      names = "--churners",
      description =
          "Subscribers reconnecting every --churn-ms in the churn scenario, 0..50 (short 2, long 4).")
  Integer churners;

  @Option(
      names = "--churn-ms",
      defaultValue = "700",
      description = "How often a churning subscriber reconnects (default ${DEFAULT-VALUE}).")
  int churnMillis;

  @Option(
      names = "--rounds",
      description = "Rounds of the revoke scenario, 1..1000 (short 3, long 50).")
  Integer rounds;

  @Option(
      names = "--revoke-publishes",
      defaultValue = "3",
      description = "Events published after each revoke (default ${DEFAULT-VALUE}).")
  int revokePublishes;

  @Option(
      names = "--outage-ms",
      description =
          "How long NATS stays stopped or frozen, at most two thirds of --duration (short 2000, long 5000).")
  Integer outageMillis;

  @Option(
      names = "--drain",
      defaultValue = "20",
      description =
          "Seconds, at most, to wait for deliveries still on their way (default ${DEFAULT-VALUE}).")
  int drainSeconds;

  @Option(
      names = "--server-jar",
      description =
          "The ThingPush jar the nodes run (default thingpush-server/target/thingpush.jar when it exists, else this program's own class path).")
  Path serverJar;

  @Option(
      names = "--server-jvm",
      defaultValue = "-Xmx512m",
      description = "JVM options of each node (default ${DEFAULT-VALUE}).")
  String serverJvm;

  @Option(names = "--out", description = "Also write the report (Markdown) to this file.")
  Path out;

  @Option(
      names = "--keep-logs",
      description = "Keep the nodes' and NATS's logs (the folder is printed at the end).")
  boolean keepLogs;

  @Option(
      names = "--drop-every",
      hidden = true,
      defaultValue = "0",
      description =
          "Each subscriber ignores every n-th push: the harness's test of itself, which must then fail.")
  int dropEvery;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ChaosSettings settings = settings();
    PrintWriter log = spec.commandLine().getErr();
    // The registry is imported in this process: only its warnings, the report is the output.
    Logs.apply(new ThingPushConfig.Log("text", "WARN"));
    List<ChaosRun.StreamResult> streams = new ArrayList<>();
    List<ChaosRun.RevokeResult> revokes = new ArrayList<>();
    try (ChaosCluster cluster = ChaosCluster.start(settings, log)) {
      if (keepLogs) {
        cluster.keepLogs();
      }
      ChaosRun run = new ChaosRun(settings, cluster, log);
      for (Scenario scenario : settings.scenarios()) {
        log.println("chaos: " + scenario.label());
        if (scenario == Scenario.REVOKE) {
          revokes.add(run.revoke());
        } else {
          ChaosRun.StreamResult result = run.stream(scenario);
          ChaosReport.notes(result).forEach(n -> log.println("  " + n));
          streams.add(result);
        }
      }
    }
    StringWriter report = new StringWriter();
    boolean failed = ChaosReport.write(new PrintWriter(report), streams, revokes);
    PrintWriter console = spec.commandLine().getOut();
    console.print(report);
    console.flush();
    if (out != null) {
      Files.writeString(out, report.toString());
    }
    return failed ? 1 : 0;
  }

  ChaosSettings settings() {
    List<Scenario> order =
        scenarios == null
            ? List.of(Scenario.values())
            : scenarios.stream().map(Scenario::parse).distinct().sorted().toList();
    int duration = pick(durationSeconds, 4, 60);
    int perSecond = pick(rate, 100, 400);
    int publisherCount = pick(publishers, 4, 8);
    int steadyCount = pick(steady, 1, 2);
    int churnerCount = pick(churners, 2, 4);
    int roundCount = pick(rounds, 3, 50);
    int outage = pick(outageMillis, 2000, 5000);
    check(duration >= 2 && duration <= 600, "--duration must be 2..600 s");
    check(perSecond >= 1 && perSecond <= 5000, "--rate must be 1..5000");
    check(publisherCount >= 1 && publisherCount <= 64, "--publishers must be 1..64");
    check(
        steadyCount >= 0 && steadyCount <= 50 && churnerCount >= 0 && churnerCount <= 50,
        "--steady and --churners must be 0..50");
    check(steadyCount > 0 || churnerCount > 0, "--steady and --churners cannot both be 0");
    check(
        roundCount >= 1 && roundCount <= 1000 && revokePublishes >= 1 && revokePublishes <= 100,
        "--rounds must be 1..1000 and --revoke-publishes 1..100");
    check(churnMillis >= 100 && churnMillis <= 60_000, "--churn-ms must be 100..60000");
    boolean natsFaults =
        order.contains(Scenario.NATS_RESTART) || order.contains(Scenario.NATS_FREEZE);
    check(
        outage >= 100 && (!natsFaults || outage * 3L <= duration * 2000L),
        "--outage-ms must be 100 ms to two thirds of --duration");
    check(drainSeconds >= 1 && drainSeconds <= 120, "--drain must be 1..120 s");
    check(dropEvery >= 0, "--drop-every must be 0 or more");
    return new ChaosSettings(
        order,
        Duration.ofSeconds(duration),
        perSecond,
        publisherCount,
        steadyCount,
        churnerCount,
        Duration.ofMillis(churnMillis),
        roundCount,
        revokePublishes,
        Duration.ofMillis(outage),
        Duration.ofSeconds(drainSeconds),
        classPath(),
        Arrays.stream(serverJvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
        dropEvery);
  }

  private String classPath() {
    if (serverJar != null) {
      check(Files.isRegularFile(serverJar), "--server-jar: no such file " + serverJar);
      return serverJar.toString();
    }
    Path built = Path.of("thingpush-server", "target", "thingpush.jar");
    return Files.isRegularFile(built)
        ? built.toAbsolutePath().toString()
        : System.getProperty("java.class.path");
  }

  private int pick(Integer given, int shortDefault, int longDefault) {
    return given != null ? given : longForm ? longDefault : shortDefault;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
