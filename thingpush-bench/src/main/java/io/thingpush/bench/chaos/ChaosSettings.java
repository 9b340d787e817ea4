package io.thingpush.bench.chaos;

import java.time.Duration;
import java.util.List;

/**
 * One run of the harness.
 *
 * @param duration how long each publishing scenario publishes
 * @param rate publishes per second over all publishers
 * @param steady steady subscribers per node
 * @param churners subscribers reconnecting every {@code churnEvery}, alternating nodes (churn scenario)
 * @param outage how long NATS stays down or frozen
 * @param drain how long, at most, deliveries still on their way are waited for
 * @param revokePublishes events published after each revoke
 * @param dropEvery 0, or n: each subscriber ignores every n-th push (a test of the harness)
 */
record ChaosSettings(
    List<Scenario> scenarios,
    Duration duration,
    double rate,
    int publishers,
    int steady,
    int churners,
    Duration churnEvery,
    int rounds,
    int revokePublishes,
    Duration outage,
    Duration drain,
    String serverClassPath,
    List<String> serverJvm,
    int dropEvery) {}
