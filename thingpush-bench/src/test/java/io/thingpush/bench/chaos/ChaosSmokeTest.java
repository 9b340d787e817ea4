package io.thingpush.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.bench.BenchMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos harness on real processes (a private nats-server, two nodes), so that it cannot rot
 * and so that the suite fails when a fault loses an acknowledged event. No timing is asserted.
 */
class ChaosSmokeTest {
  @TempDir Path out;

  @Test
  void theShortFormLosesNothingThroughEveryFault() throws IOException {
    Path report = out.resolve("chaos.md");

    int exit = BenchMain.execute("chaos", "--server-jvm", "-Xmx256m", "--out", report.toString());

    String text = Files.readString(report);
    assertThat(exit).as(text).isZero();
    List<String> rows =
        text.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| scenario")).toList();
    List<String> streams = rows.stream().filter(row -> !row.startsWith("| revoke |")).toList();
    for (String scenario : List.of("churn", "nats-restart", "nats-freeze", "kill")) {
      assertThat(streams)
          .as("rows of %s", scenario)
          .anySatisfy(row -> assertThat(row).startsWith("| " + scenario + " |"));
    }
    assertThat(streams)
        .allSatisfy(
            row -> {
              String[] cells = row.split("\\|");
              assertThat(Long.parseLong(cells[4].trim())).as("acknowledged: %s", row).isPositive();
              assertThat(cells[6].trim() + cells[7].trim() + cells[8].trim())
                  .as("lost, duplicated, out of order: %s", row)
                  .isEqualTo("000");
            });
    assertThat(text).contains("| kill | on A #1 | A>B |");
    assertThat(rows)
        .as("3 rounds, no event after a revoke")
        .contains("| revoke | 3 | 0 | 0 | 0 | 0 | 0 |");
  }

  /** The harness's test of itself: a subscriber that misses pushes makes the run fail, naming what it lost. */
  @Test
  void aSubscriberThatMissesEventsFailsTheRun() throws IOException {
    Path report = out.resolve("chaos.md");

    int exit =
        BenchMain.execute(
            "chaos",
            "--scenarios",
            "churn",
            "--duration",
            "2",
            "--steady",
            "1",
            "--churners",
            "0",
            "--publishers",
            "1",
            "--rate",
            "50",
            "--drain",
            "2",
            "--drop-every",
            "10",
            "--server-jvm",
            "-Xmx256m",
            "--out",
            report.toString());

    String text = Files.readString(report);
    assertThat(exit).as(text).isEqualTo(1);
    assertThat(text)
        .contains("FAILED")
        .containsPattern("churn: on A #1 lost [1-9][0-9]*, first seqs \\[[0-9]");
  }
}
