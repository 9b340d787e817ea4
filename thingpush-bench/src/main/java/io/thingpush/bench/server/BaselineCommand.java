package io.thingpush.bench.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The raw Netty broadcast server, driven by the generator over standard input. */
@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    description =
        "The raw Netty broadcast baseline, driven by the generator over standard input (started by `run`).")
public final class BaselineCommand implements Callable<Integer> {
  @Option(
      names = "--devices",
      defaultValue = "1000",
      description = "Device names events cycle through (default ${DEFAULT-VALUE}).")
  int devices;

  @Option(
      names = "--frame-bytes",
      defaultValue = "250",
      description = "Size of a pushed frame (default ${DEFAULT-VALUE}).")
  int frameBytes;

  @Option(
      names = "--unicast",
      description = "Send each event to one channel (round-robin) instead of all.")
  boolean unicast;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String pad = BenchEvent.pad(frameBytes);
    String[] names = new String[devices];
    for (int d = 0; d < devices; d++) {
      names[d] = "dev-" + d;
    }
    try (BaselineServer server = new BaselineServer()) {
      Driver.Sink sink =
          (index, sentNanos) -> {
            if (index == 0) {
              server.snapshot();
            }
            byte[] frame =
                BenchEvent.frame(
                        index + 1L,
                        names[index % devices],
                        System.currentTimeMillis(),
                        sentNanos,
                        pad)
                    .getBytes(StandardCharsets.UTF_8);
            if (unicast) {
              server.unicast(index, frame);
            } else {
              server.broadcast(frame);
            }
          };
      Control.serve(
          spec.commandLine().getOut(),
          "ws=" + server.port() + " transport=" + server.transport().label(),
          sink);
    }
    return 0;
  }
}
