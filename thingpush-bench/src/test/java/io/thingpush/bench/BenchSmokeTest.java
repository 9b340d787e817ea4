package io.thingpush.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import io.thingpush.server.net.NativeTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of the generator against both servers, so that the benchmark cannot rot. No timing is asserted. */
class BenchSmokeTest {
  @TempDir Path out;

  @Test
  void aTinyRunReportsBothServersWithTheirRatio() throws IOException {
    int exit =
        BenchMain.execute(
            "run",
            "--connections",
            "20",
            "--loads",
            "max,50%",
            "--duration",
            "2",
            "--warmup",
            "1",
            "--jit-warmup",
            "0",
            "--server-jvm",
            "-Xmx256m",
            "--out",
            out.toString());

    assertThat(exit).isZero();
    String markdown = Files.readString(out.resolve("results.md"));
    assertThat(markdown).startsWith(io.thingpush.bench.run.Report.HEADER);
    List<String> rows = markdown.lines().skip(2).toList();
    assertThat(rows).hasSize(4);
    String transport = NativeTransport.best().label();
    assertThat(rows.get(3)).contains("| thingpush (" + transport + ") | 20 | project | 50% |");
    JsonNode run = json(out);
    assertThat(run.path("servers")).hasSize(2);
    for (JsonNode server : run.path("servers")) {
      assertThat(server.path("connections").asInt()).isEqualTo(20);
      for (JsonNode step : server.path("steps")) {
        assertThat(step.path("events").asLong()).isPositive();
        assertThat(step.path("lost").asLong()).as("every event reached every connection").isZero();
      }
    }
    JsonNode counters = run.path("servers").get(1).path("serverCounters");
    assertThat(counters.toString()).contains("thingpush_deliveries_total");
  }

  @Test
  void helpDescribesTheRunCommand() {
    assertThat(BenchMain.execute("run", "--help")).isZero();
    assertThat(BenchMain.execute("run", "--connections", "0")).isNotZero();
  }

  private static JsonNode json(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      Path file = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
      return Json.parseOrNull(Files.readString(file));
    }
  }
}
