package io.thingpush.bench.device;

import io.thingpush.bench.run.Runs;
import io.thingpush.bench.run.ServerProcess;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Devices to apps, end to end, through ThingPush and through the alternative, in one run. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulated MQTT devices (QoS 1 property reports carrying their send time; each PUBACK and reportReply",
      "awaited, at most --window at once per device) and simulated apps subscribed to every device's reports,",
      "over each path in turn: embedded (ThingPush's MQTT endpoint, WebSocket apps), bridge (a private",
      "Mosquitto that ThingPush bridges from, WebSocket apps) and mosquitto (the private Mosquitto alone, apps",
      "subscribed over MQTT on WebSocket). Reports device messages/s answered, events/s, deliveries/s,",
      "device→app latency, PUBACK and reply round trips, server and generator CPU. Loopback only.",
      "",
      "Example: thingpush-bench devices --devices 1000 --apps 100 --loads max,2000"
    },
    footer = {
      "",
      "Loads: max (every device keeps its window full) or device messages per second over all devices."
    })
public final class DevicesCommand implements Callable<Integer> {
  @Option(
      names = "--devices",
      defaultValue = "1000",
      description = "Simulated devices, 1..10000 (default ${DEFAULT-VALUE}).")
  int devices;

  @Option(
      names = "--apps",
      defaultValue = "100",
      description =
          "Simulated apps, each subscribed to every device, 1..10000 (default ${DEFAULT-VALUE}).")
  int apps;

  @Option(
      names = "--paths",
      defaultValue = "embedded,bridge,mosquitto",
      split = ",",
      description = "Paths to run, in order (default ${DEFAULT-VALUE}).")
  List<String> paths;

  @Option(
      names = "--loads",
      defaultValue = "max,1000",
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
      description =
          "Seconds flat out before the first step of each path, left out (default ${DEFAULT-VALUE}).")
  int jitWarmupSeconds;

  @Option(
      names = "--answer-window",
      defaultValue = "10",
      description =
          "Seconds a step waits at its end for answers and deliveries still on their way (default ${DEFAULT-VALUE}).")
  int answerWindowSeconds;

  @Option(
      names = "--window",
      defaultValue = "4",
      description =
          "Reports per device awaiting their answers at once, 1..64 (default ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--pad-bytes",
      defaultValue = "100",
      description = "Padding in each report (default ${DEFAULT-VALUE}).")
  int padBytes;

  @Option(
      names = "--client-threads",
      defaultValue = "2",
      description = "Threads of the devices, and of the apps (default ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(
      names = "--server-jvm",
      defaultValue = ServerProcess.DEFAULT_JVM,
      description = "JVM options of the ThingPush node (default ${DEFAULT-VALUE}).")
  String serverJvm;

  @Option(
      names = "--out",
      defaultValue = "bench-results",
      description = "Folder for devices.md and the JSON files (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--label",
      defaultValue = "",
      description = "A name for this run, in the JSON file name.")
  String label;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    DeviceSettings settings = settings();
    List<DevicePath> order = paths.stream().map(DevicePath::parse).toList();
    if (order.stream().anyMatch(DevicePath::broker) && !PrivateMosquitto.installed()) {
      throw new IllegalArgumentException(
          "the bridge and mosquitto paths need Mosquitto (Debian package mosquitto)");
    }
    String date = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
    String machine = Runs.machine();
    DeviceBench bench = new DeviceBench(settings, spec.commandLine().getErr());
    List<DeviceResults.PathRun> runs = new ArrayList<>();
    for (DevicePath path : order) {
      runs.add(bench.run(path));
    }
    DeviceResults.Run run =
        new DeviceResults.Run(
            date,
            machine,
            "thingpush-bench devices "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
            runs);
    String stamp = Runs.stamp();
    Path json = DeviceResults.write(run, out, stamp, label);
    PrintWriter console = spec.commandLine().getOut();
    console.print(DeviceResults.HEADER);
    DeviceResults.rows(run).forEach(console::println);
    console.println("Written: " + out.resolve("devices.md") + ", " + json);
    console.flush();
    return 0;
  }

  DeviceSettings settings() {
    if (devices < 1 || devices > 10_000 || apps < 1 || apps > 10_000) {
      throw new IllegalArgumentException("--devices and --apps must be 1..10000");
    }
    if (durationSeconds < 1
        || durationSeconds > 120
        || warmupSeconds < 0
        || warmupSeconds >= durationSeconds) {
      throw new IllegalArgumentException(
          "--duration must be 1..120 s and --warmup shorter than it");
    }
    if (jitWarmupSeconds < 0
        || jitWarmupSeconds > 60
        || answerWindowSeconds < 1
        || answerWindowSeconds > 60) {
      throw new IllegalArgumentException(
          "--jit-warmup must be 0..60 s and --answer-window 1..60 s");
    }
    if (window < 1 || window > 64 || padBytes < 0 || padBytes > 60_000) {
      throw new IllegalArgumentException("--window must be 1..64 and --pad-bytes 0..60000");
    }
    for (String load : loads) {
      if (!load.equals("max")
          && !(load.matches("[0-9]+(\\.[0-9]+)?") && Double.parseDouble(load) > 0)) {
        throw new IllegalArgumentException(
            "--loads: max or a positive number of device messages/s, not " + load);
      }
    }
    return new DeviceSettings(
        devices,
        apps,
        loads,
        Duration.ofSeconds(durationSeconds),
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(jitWarmupSeconds),
        Duration.ofSeconds(answerWindowSeconds),
        window,
        padBytes,
        clientThreads,
        Arrays.stream(serverJvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
  }
}
