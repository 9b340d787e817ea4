package io.thingpush.server.observe;

import java.util.Map;

/**
 * What one node tells the operator view about itself (docs/admin-api.md): its connections, the
 * events going through it and how its slow clients fare, from its own metrics.
 *
 * @param node the node's name: {@code n<number>} in a cluster, {@code local} alone
 * @param startedAt when it started, milliseconds since the epoch
 * @param eventsInPerSecond events ingested per second over the last ten seconds
 * @param eventsOutPerSecond frames of events handed to connections per second (live, replay, snapshot)
 * @param droppedFrames frames dropped with the slow connections that were closed, since the start
 * @param slowClientCloses connections closed with 4008 (too slow), since the start
 * @param pushLatencyP99Ms 99th percentile from ingest to the write of a live push over the last ten
 *     seconds (the upper bound of its histogram bucket); null when there was no push
 */
public record NodeStatus(
    String node,
    long startedAt,
    int connections,
    Map<String, Integer> connectionsByTenant,
    long subscriptions,
    long devicesConnected,
    double eventsInPerSecond,
    double eventsOutPerSecond,
    long droppedFrames,
    long slowClientCloses,
    Double pushLatencyP99Ms) {}
