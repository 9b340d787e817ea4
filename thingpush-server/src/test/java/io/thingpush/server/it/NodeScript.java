package io.thingpush.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a Node.js command of the repository's JavaScript side and collects what it printed. */
public final class NodeScript {
  /** The repository root: the tests run in the thingpush-server module folder. */
  public static final Path REPO =
      Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

  private NodeScript() {}

  public record Result(int exitCode, String output) {}

  /** Runs {@code node args…} in {@code dir} with {@code env} added, killed after {@code limit}. */
  public static Result run(Path dir, Map<String, String> env, Duration limit, String... args) {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile("thingpush-node", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      return new Result(
          done ? p.exitValue() : -1, done ? output : output + "\n(killed after " + limit + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run node (Node.js 20+ must be installed, see ./test)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
