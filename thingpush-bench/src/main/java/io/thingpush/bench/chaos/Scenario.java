package io.thingpush.bench.chaos;

import java.util.Arrays;

/** The fault scenarios, by the name the command line takes. */
enum Scenario {
  /** Publishers on both nodes; steady subscribers on each node and subscribers reconnecting every 0.7 s. */
  CHURN("churn"),
  /** NATS stopped, then started again, while publishing. */
  NATS_RESTART("nats-restart"),
  /** NATS frozen (SIGSTOP), then let go on (SIGCONT), while publishing. */
  NATS_FREEZE("nats-freeze"),
  /** A grant revoked through node B, then events published: what the user on node A still gets. */
  REVOKE("revoke"),
  /** Node A killed (SIGKILL) mid-stream; its subscribers resume on node B with since. */
  KILL("kill");

  private final String label;

  Scenario(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static Scenario parse(String text) {
    return Arrays.stream(values())
        .filter(s -> s.label.equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--scenarios: one of churn, nats-restart, nats-freeze, revoke, kill, not "
                        + text));
  }
}
