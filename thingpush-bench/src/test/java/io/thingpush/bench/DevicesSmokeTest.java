package io.thingpush.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny runs of the devices and publish benchmarks (a private Mosquitto included), so that they
 * cannot rot: every report answered, every event delivered to every app. No timing is asserted.
 */
class DevicesSmokeTest {
  @TempDir Path out;

  @Test
  void everyPathAnswersAndDeliversEveryReport() throws IOException {
    int exit =
        BenchMain.execute(
            "devices",
            "--devices",
            "10",
            "--apps",
            "3",
            "--loads",
            "500",
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
    JsonNode run = json("devices-");
    assertThat(run.path("paths").findValuesAsText("path"))
        .containsExactly("EMBEDDED", "BRIDGE", "MOSQUITTO");
    for (JsonNode path : run.path("paths")) {
      assertThat(path.path("disconnected").asLong())
          .as("devices dropped on %s", path.path("path"))
          .isZero();
      JsonNode step = path.path("steps").get(0);
      assertThat(step.path("messages").asLong())
          .as("reports sent on %s", path.path("path"))
          .isPositive();
      assertThat(step.path("unanswered").asLong())
          .as("reports unanswered on %s", path.path("path"))
          .isZero();
      assertThat(step.path("refused").asLong())
          .as("reports refused on %s", path.path("path"))
          .isZero();
      assertThat(step.path("lost").asLong())
          .as("deliveries lost on %s", path.path("path"))
          .isZero();
    }
    List<String> rows = Files.readAllLines(out.resolve("devices.md"));
    assertThat(rows).hasSize(2 + 3);
  }

  @Test
  void everyPublishIsAnsweredAndDelivered() throws IOException {
    int exit =
        BenchMain.execute(
            "publish",
            "--connections",
            "4",
            "--apps",
            "2",
            "--loads",
            "50",
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
    JsonNode run = json("publish-");
    assertThat(run.path("steps")).hasSize(1);
    for (JsonNode step : run.path("steps")) {
      assertThat(step.path("requests").asLong()).isPositive();
      assertThat(step.path("errors").asLong()).as("publishes refused").isZero();
      assertThat(step.path("lost").asLong()).as("publishes not delivered to every app").isZero();
    }
    assertThat(run.path("closed").asLong()).as("publish connections closed").isZero();
  }

  private JsonNode json(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      Path file =
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix))
              .findFirst()
              .orElseThrow();
      return Json.parseOrNull(Files.readString(file));
    }
  }
}
