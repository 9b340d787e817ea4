package io.thingpush.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server with JetStream of the harness's own, never the machine's: a free loopback port,
 * a JetStream store in a temporary folder, so that stopping, restarting and freezing it
 * disturbs nothing else. The store survives a restart, as a real server's disk would.
 */
final class PrivateNats implements AutoCloseable {
  private static final String BINARY =
      Files.isExecutable(Path.of("/usr/sbin/nats-server"))
          ? "/usr/sbin/nats-server"
          : "nats-server";

  private final int port;
  private final Path dir;
  private Process process;
  private boolean frozen;

  private PrivateNats(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts one keeping its store and log in {@code dir}. */
  static PrivateNats start(Path dir, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    PrivateNats nats = new PrivateNats(Loopback.freePort(), dir);
    nats.restart(timeout);
    return nats;
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** Starts the server (again: same port, same store) and waits until it takes connections. */
  void restart(Duration timeout) throws IOException, InterruptedException {
    process =
        new ProcessBuilder(
                BINARY,
                "-a",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-js",
                "-sd",
                dir.resolve("js").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nats.log").toFile()))
            .start();
    if (!Loopback.awaitListening(port, process, timeout)) {
      throw new IllegalStateException(
          "the private nats-server did not start: "
              + Files.readString(dir.resolve("nats.log")).strip());
    }
  }

  /** Stops the server (SIGTERM, as an operator's restart would). */
  void stop() throws IOException, InterruptedException {
    thaw();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** SIGSTOP: connections stay open and nothing is answered, as a hung server behaves. */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
    frozen = true;
  }

  /** SIGCONT to a frozen server. */
  void thaw() throws IOException, InterruptedException {
    if (frozen) {
      signal("CONT");
      frozen = false;
    }
  }

  private void signal(String name) throws IOException, InterruptedException {
    int exit =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(
          "kill -" + name + " " + process.pid() + " exited with " + exit);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
  }
}
