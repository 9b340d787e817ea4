package io.thingpush.bench.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a devices run measured, as JSON and as Markdown rows. */
public final class DeviceResults {
  public static final String HEADER =
      "| date | machine | path | devices | apps | load | device msgs/s | events/s "
          + "| deliveries/s | device→app p50 ms | p99 ms | p99.9 ms | PUBACK p99 ms | reply p99 ms | ThingPush CPU cores "
          + "| broker CPU cores | server CPU µs/message | generator CPU µs/delivery | unanswered | refused | lost |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

  private DeviceResults() {}

  /** One load step on one path; latencies in ms, rates per second over the step after its warm-up. */
  public record Step(
      String load,
      double offeredMessagesPerSecond,
      long messages,
      double messagesPerSecond,
      double eventsPerSecond,
      double deliveriesPerSecond,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double pubackP99Ms,
      double replyP99Ms,
      double thingpushCpuCores,
      double brokerCpuCores,
      double serverCpuMicrosPerMessage,
      double generatorCpuCores,
      double generatorCpuMicrosPerDelivery,
      long unanswered,
      long refused,
      long lost) {}

  public record PathRun(
      DevicePath path, int devices, int apps, long disconnected, List<Step> steps) {}

  public record Run(String date, String machine, String command, List<PathRun> paths) {}

  public static List<String> rows(Run run) {
    List<String> rows = new ArrayList<>();
    for (PathRun p : run.paths()) {
      for (Step s : p.steps()) {
        rows.add(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %,d | %,d | %s | %,.0f | %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %.2f | %.2f | %d | %d | %d |",
                run.date(),
                run.machine(),
                p.path().label(),
                p.devices(),
                p.apps(),
                s.load(),
                s.messagesPerSecond(),
                p.path().thingpush()
                    ? String.format(Locale.ROOT, "%,.0f", s.eventsPerSecond())
                    : "—",
                s.deliveriesPerSecond(),
                s.p50Ms(),
                s.p99Ms(),
                s.p999Ms(),
                s.pubackP99Ms(),
                Double.isNaN(s.replyP99Ms())
                    ? "—"
                    : String.format(Locale.ROOT, "%.2f", s.replyP99Ms()),
                p.path().thingpush()
                    ? String.format(Locale.ROOT, "%.2f", s.thingpushCpuCores())
                    : "—",
                p.path().broker() ? String.format(Locale.ROOT, "%.2f", s.brokerCpuCores()) : "—",
                s.serverCpuMicrosPerMessage(),
                s.generatorCpuMicrosPerDelivery(),
                s.unanswered(),
                s.refused(),
                s.lost()));
      }
    }
    return rows;
  }

  /** Appends the rows to {@code devices.md} in {@code folder} and writes the JSON file; returns it. */
  public static Path write(Run run, Path folder, String stamp, String label) throws IOException {
    Files.createDirectories(folder);
    Path markdown = folder.resolve("devices.md");
    if (!Files.exists(markdown)) {
      Files.writeString(markdown, HEADER);
    }
    Files.writeString(markdown, String.join("\n", rows(run)) + "\n", StandardOpenOption.APPEND);
    Path json = folder.resolve("devices-" + stamp + (label.isEmpty() ? "" : "-" + label) + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), run);
    return json;
  }
}
