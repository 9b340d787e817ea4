package io.thingpush.bench.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Runs the servers in turn, repeat after repeat, on the same machine in the same run. */
public final class Runs {
  private Runs() {}

  public static Results.Run run(
      Settings settings, List<String> servers, int repeats, String command, PrintWriter log)
      throws Exception {
    String date = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
    String machine = machine();
    Bench bench = new Bench(settings, log);
    List<Results.ServerRun> runs = new ArrayList<>();
    for (int r = 1; r <= repeats; r++) {
      double baselineSaturation = Double.NaN;
      for (String server : servers) {
        Results.ServerRun result = bench.run(server, r, baselineSaturation);
        if (server.equals(Bench.BASELINE)) {
          for (Results.Step s : result.steps()) {
            if (s.load().equals("max")) {
              baselineSaturation = s.deliveriesPerSecond();
            }
          }
        }
        runs.add(result);
      }
    }
    return new Results.Run(date, machine, "thingpush-bench run " + command, runs);
  }

  /** Writes results.md (appending) and a new JSON file in {@code folder}; returns the JSON file. */
  public static Path write(Results.Run run, Path folder, String label) throws IOException {
    String stamp = stamp();
    Path json = folder.resolve("bench-" + stamp + (label.isEmpty() ? "" : "-" + label) + ".json");
    Files.createDirectories(folder);
    Report.write(run, folder.resolve("results.md"), json);
    return json;
  }

  /** The UTC time now as {@code yyyyMMdd-HHmmss}, for the names of result files. */
  public static String stamp() {
    return LocalDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
  }

  /** Cores, CPU model and load average: enough to tell machines apart. */
  public static String machine() {
    String model = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      return String.format(
          Locale.ROOT,
          "%d cores %s, load %s",
          Runtime.getRuntime().availableProcessors(),
          model,
          load);
    } catch (IOException e) {
      return Runtime.getRuntime().availableProcessors() + " cores";
    }
  }
}
