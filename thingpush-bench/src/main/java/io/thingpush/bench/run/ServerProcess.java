package io.thingpush.bench.run;

import io.thingpush.bench.server.Control;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in a JVM of its own (so its CPU and memory are its own), driven through
 * the {@link Control} line protocol on its standard input and output.
 */
public final class ServerProcess implements AutoCloseable {
  /**
   * The JVM options a node runs with unless told otherwise: those docs/deployment.md gives a
   * production node (Shenandoah on a fixed, pre-touched heap), sized for this machine.
   */
  public static final String DEFAULT_JVM = "-Xms2g -Xmx2g -XX:+UseShenandoahGC -XX:+AlwaysPreTouch";

  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private final Process process;
  private final PrintWriter commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Map<String, String> ready;

  /** Starts {@code subcommand} of this program with {@code jvmOptions} and waits until it listens. */
  public static ServerProcess start(
      List<String> jvmOptions, List<String> subcommand, PrintWriter log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // The heap reading's System.gc() is a full, compacting collection (as jmap's), not a
    // concurrent cycle that leaves garbage in regions it did not reach.
    command.add("-XX:-ExplicitGCInvokesConcurrent");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.thingpush.bench.BenchMain");
    command.addAll(subcommand);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putIfAbsent("THINGPUSH_LOG_LEVEL", "WARN");
    return new ServerProcess(builder.start(), log, timeout);
  }

  private ServerProcess(Process process, PrintWriter log, Duration timeout)
      throws InterruptedException {
    this.process = process;
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith(Control.PREFIX)) {
                    answers.add(line.substring(Control.PREFIX.length()));
                  } else {
                    log.println("  server: " + line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "bench-server-output");
    reader.setDaemon(true);
    reader.start();
    this.ready = fields(await("ready", timeout));
  }

  /** The {@code key=value} fields of the ready line (ws, http, management ports). */
  public int port(String name) {
    return Integer.parseInt(ready.get(name));
  }

  /** A field of the ready line, or "" when the server did not give it. */
  public String readyField(String name) {
    return ready.getOrDefault(name, "");
  }

  public long pid() {
    return process.pid();
  }

  public void send(String command) {
    commands.println(command);
  }

  /** The next answer, which must start with {@code word}. */
  public String await(String word, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String answer = answers.poll(500, TimeUnit.MILLISECONDS);
    while (answer == null && process.isAlive() && System.nanoTime() < deadline) {
      answer = answers.poll(500, TimeUnit.MILLISECONDS);
    }
    if (answer == null) {
      throw new IllegalStateException(
          "the server did not answer `"
              + word
              + "` within "
              + timeout
              + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
    }
    if (!answer.startsWith(word)) {
      throw new IllegalStateException(
          "the server answered `" + answer + "`, expected `" + word + "`");
    }
    return answer;
  }

  /** Heap in use after a full GC, in bytes. */
  public long heapAfterGc() throws InterruptedException {
    send("stats");
    return Long.parseLong(fields(await("stats", Duration.ofSeconds(60))).get("heap"));
  }

  /** Resident set size of the process, in bytes. */
  public long rss() throws IOException {
    return ProcStats.rssBytes(process.pid());
  }

  /** CPU time the process has used so far, user and system, in nanoseconds. */
  public long cpuNanos() throws IOException {
    return ProcStats.cpuNanos(process.pid());
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> fields = new java.util.HashMap<>();
    for (String word : line.split(" ")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        fields.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    return fields;
  }

  @Override
  public void close() throws InterruptedException {
    send("quit");
    commands.close();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Reads /proc (Linux) for the CPU time and resident memory of a process. */
  public static final class ProcStats {
    private ProcStats() {}

    public static long cpuNanos(long pid) throws IOException {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name (which may hold spaces) start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    public static long rssBytes(long pid) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      throw new IOException("no VmRSS for process " + pid);
    }
  }
}
