package io.thingpush.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The line protocol between the generator and a server process it started: commands on the
 * server's standard input, answers on its standard output prefixed with {@value #PREFIX}
 * (everything else there is log). Commands: {@code drive RATE MILLIS FANOUT WINDOW} (rate 0:
 * flat out) answered {@code driven EVENTS} when done, {@code ack DELIVERIES}, {@code stats}
 * answered {@code stats heap=BYTES} after a full GC, {@code quit}.
 */
public final class Control {
  public static final String PREFIX = "@bench ";

  private Control() {}

  /** Announces {@code ready}, then serves commands until {@code quit} or the end of input. */
  public static void serve(PrintWriter out, String ready, Driver.Sink sink) throws IOException {
    Driver driver = new Driver();
    ExecutorService driving = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-driver"));
    answer(out, "ready " + ready);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split(" ");
        switch (words[0]) {
          case "drive" -> {
            double rate = Double.parseDouble(words[1]);
            long nanos = Long.parseLong(words[2]) * 1_000_000L;
            double fanout = Double.parseDouble(words[3]);
            long window = Long.parseLong(words[4]);
            driving.execute(
                () -> answer(out, "driven " + driver.run(sink, rate, nanos, fanout, window)));
          }
          case "ack" -> driver.acked(Long.parseLong(words[1]));
          case "stats" -> answer(out, "stats heap=" + heapAfterGc());
          case "quit" -> {
            return;
          }
          default -> answer(out, "error unknown command " + words[0]);
        }
      }
    } finally {
      driving.shutdownNow();
    }
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void answer(PrintWriter out, String line) {
    synchronized (out) {
      out.println(PREFIX + line);
      out.flush();
    }
  }
}
