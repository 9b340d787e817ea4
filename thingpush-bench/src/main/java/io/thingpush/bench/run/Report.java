package io.thingpush.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a run as Markdown rows (ThingPush ÷ baseline beside each ThingPush row) and as JSON. */
public final class Report {
  public static final String HEADER =
      "| date | machine | server | conns | mix | load | deliveries/s | p50 ms | p99 ms | p99.9 ms | max ms "
          + "| server CPU cores | CPU µs/delivery | generator CPU µs/delivery | heap KiB/conn | RSS KiB/conn | closes | lost | ÷ baseline: deliveries/s, p99 |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

  private Report() {}

  /** The Markdown rows of every step of every server. */
  public static List<String> rows(Results.Run run) {
    List<String> rows = new ArrayList<>();
    for (Results.ServerRun s : run.servers()) {
      if (s.steps().isEmpty()) {
        rows.add(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %,d | %s | at rest | | | | | | | | | %.2f | %.2f | %s | | |",
                run.date(),
                run.machine(),
                label(s),
                s.connections(),
                s.mix(),
                s.heapKibPerConnection(),
                s.rssKibPerConnection(),
                closes(s.closes())));
      }
      for (Results.Step step : s.steps()) {
        rows.add(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %,d%s | %s%s | %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %d | %s |",
                run.date(),
                run.machine(),
                label(s),
                s.connections(),
                s.stalledConnections() > 0 ? " (" + s.stalledConnections() + " stalled)" : "",
                s.mix(),
                s.deflate() ? " deflate" : "",
                step.load(),
                step.deliveriesPerSecond(),
                step.p50Ms(),
                step.p99Ms(),
                step.p999Ms(),
                step.maxMs(),
                step.serverCpuCores(),
                step.serverCpuMicrosPerDelivery(),
                step.generatorCpuMicrosPerDelivery(),
                s.heapKibPerConnection(),
                s.rssKibPerConnection(),
                closes(s.closes()),
                step.lost(),
                ratio(run, s, step)));
      }
    }
    return rows;
  }

  /** The server, with the transport it reported (the baseline tells; ThingPush does not). */
  private static String label(Results.ServerRun s) {
    return s.transport().isEmpty() ? s.server() : s.server() + " (" + s.transport() + ")";
  }

  private static String closes(Map<Integer, Long> closes) {
    if (closes.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    closes.forEach(
        (code, n) ->
            text.append(text.length() == 0 ? "" : " ")
                .append(code == -1 ? "no-frame" : code)
                .append('×')
                .append(n));
    return text.toString();
  }

  /** ThingPush ÷ the baseline of the same repeat and load; blank for the baseline itself. */
  private static String ratio(Results.Run run, Results.ServerRun s, Results.Step step) {
    if (!s.server().equals(Bench.THINGPUSH)) {
      return "";
    }
    for (Results.ServerRun b : run.servers()) {
      if (b.server().equals(Bench.BASELINE) && b.repeat() == s.repeat()) {
        for (Results.Step bs : b.steps()) {
          if (bs.load().equals(step.load())) {
            return String.format(
                Locale.ROOT,
                "%.2f, %.2f",
                step.deliveriesPerSecond() / bs.deliveriesPerSecond(),
                step.p99Ms() / bs.p99Ms());
          }
        }
      }
    }
    return "";
  }

  /** Appends the rows to {@code markdown} (with a header when the file is new) and writes the JSON. */
  public static void write(Results.Run run, Path markdown, Path json) throws IOException {
    Files.createDirectories(markdown.toAbsolutePath().getParent());
    if (!Files.exists(markdown)) {
      Files.writeString(markdown, HEADER);
    }
    Files.writeString(markdown, String.join("\n", rows(run)) + "\n", StandardOpenOption.APPEND);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), run);
  }
}
