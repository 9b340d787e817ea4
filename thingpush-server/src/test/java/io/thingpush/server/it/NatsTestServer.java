package io.thingpush.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A nats-server with JetStream that the test starts itself, on a free local port with its own
 * store, so stopping and restarting it mid-stream disturbs nothing else on the machine.
 */
public final class NatsTestServer implements AutoCloseable {
  private static final String BINARY =
      Files.isExecutable(Path.of("/usr/sbin/nats-server"))
          ? "/usr/sbin/nats-server"
          : "nats-server";

  private final int port;
  private final Path store;
  private Process process;
  private boolean frozen;

  private NatsTestServer(int port, Path store) {
    this.port = port;
    this.store = store;
  }

  public static NatsTestServer start() {
    try {
      NatsTestServer server =
          new NatsTestServer(freePort(), Files.createTempDirectory("thingpush-nats"));
      server.restart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** Starts the server (again, with the same port and store) and waits until it answers. */
  public void restart() {
    try {
      process =
          new ProcessBuilder(
                  BINARY,
                  "-a",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port),
                  "-js",
                  "-sd",
                  store.toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(store.resolve("server.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY, e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IllegalStateException("nats-server did not answer on port " + port);
  }

  /** Stops the server, as an outage. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, as when it hangs. */
  public void freeze() {
    signal("-STOP");
    frozen = true;
  }

  /** Lets a frozen server go on (SIGCONT). */
  public void thaw() {
    if (frozen) {
      signal("-CONT");
      frozen = false;
    }
  }

  private void signal(String signal) {
    try {
      int exit = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException(
            "kill " + signal + " " + process.pid() + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    thaw();
    stop();
    try (Stream<Path> files = Files.walk(store)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory
    }
  }
}
