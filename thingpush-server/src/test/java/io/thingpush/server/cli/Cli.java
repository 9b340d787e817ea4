package io.thingpush.server.cli;

import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Runs {@code thingpush} commands in-process (picocli on {@link Main}, output captured) or, for
 * what only the real {@code main} does (its one-line error handler, {@code System.exit}, a
 * shutdown hook), in a child JVM on the test classpath.
 */
final class Cli {
  /** The bound of every wait in the CLI tests. */
  static final Duration WAIT = Duration.ofSeconds(10);

  /** The bound for a child JVM to start a server (JVM start, H2, migrations). */
  static final Duration JVM_WAIT = Duration.ofSeconds(60);

  static final String SECRET = "thingpush-cli-test-hs256-secret-0123456789";

  private Cli() {}

  /** What a command printed and returned. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  /** A command whose output can be read while it runs (e.g. {@code watch} on a thread). */
  static final class Running {
    final CommandLine cli;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    Running() {
      cli = new CommandLine(new Main());
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
    }

    int execute(String... args) {
      return cli.execute(args);
    }

    String out() {
      return out.toString();
    }

    String err() {
      return err.toString();
    }
  }

  /** Runs {@code thingpush args} in-process. */
  static Result run(String... args) {
    Running r = new Running();
    int exit = r.execute(args);
    return new Result(exit, r.out(), r.err());
  }

  /** Starts {@code thingpush args} in a child JVM on this test's classpath. */
  static Process start(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The product's own logging, not the tests' quieter one: what a user of the command sees.
    command.add(
        "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath());
    command.add("-cp");
    command.add(classpath());
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    try {
      return new ProcessBuilder(command).directory(dir.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code thingpush args} in a child JVM to its end. */
  static Result runProcess(Path dir, String... args) throws Exception {
    Process p = start(dir, args);
    p.getOutputStream().close();
    // outputs are small: read after the end
    if (!p.waitFor(JVM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "thingpush " + String.join(" ", args) + " did not end within " + JVM_WAIT);
    }
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes()),
        new String(p.getErrorStream().readAllBytes()));
  }

  /** The test classpath (surefire sets {@code java.class.path} to it in the forked JVM). */
  static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  // ---- a server of the test registry

  /** A config YAML (JSON is YAML) of random local ports and a fresh in-memory H2 database. */
  static String configYaml(String secret, String importFile) {
    return "{\"ws\":{\"host\":\"127.0.0.1\",\"port\":0},\"http\":{\"host\":\"127.0.0.1\",\"port\":0},"
        + "\"management\":{\"host\":\"127.0.0.1\",\"port\":0},\"mqtt\":{\"host\":\"127.0.0.1\",\"port\":0},"
        + "\"auth\":{\"hs256Secret\":\""
        + secret
        + "\"},"
        + "\"registry\":{\"jdbcUrl\":\""
        + memoryUrl()
        + "\""
        + (importFile == null ? "" : ",\"importFile\":\"" + importFile.replace("\\", "\\\\") + "\"")
        + "}}";
  }

  static String memoryUrl() {
    return "jdbc:h2:mem:cli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  /** The end-to-end fixture registry ({@code it/registry.json}) copied into {@code dir}. */
  static Path fixture(Path dir) {
    try (InputStream in = Cli.class.getResourceAsStream("/it/registry.json")) {
      Path file = dir.resolve("registry.json");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server with {@code secret} and the fixture registry. */
  static ThingPushServer server(Path dir, String secret) {
    return ThingPushServer.start(
        ThingPushConfig.parse(configYaml(secret, fixture(dir).toString()), Map.of()));
  }
}
