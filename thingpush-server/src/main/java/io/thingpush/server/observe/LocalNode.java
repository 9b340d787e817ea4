package io.thingpush.server.observe;

import io.thingpush.core.device.DevicePresence;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.session.ConnectionInfo;
import io.thingpush.core.session.Session;
import io.thingpush.core.session.Sessions;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.SubCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's answers to the operator view: its status from its own metrics, sampled every
 * second so that rates and the recent push latency cover the last ten seconds; its connections,
 * each described on its own thread; closing one of them.
 */
public final class LocalNode implements Nodes {
  private static final long SPAN_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final String name;
  private final long startedAt;
  private final Sessions sessions;
  private final Hub hub;
  private final DevicePresence presence;
  private final ServerMetrics metrics;
  private final SampleWindow window = new SampleWindow(SPAN_NANOS);

  /** Samples the metrics on {@code scheduler} every second from now on. */
  public LocalNode(
      String name,
      Clock clock,
      Sessions sessions,
      Hub hub,
      DevicePresence presence,
      ServerMetrics metrics,
      ScheduledExecutorService scheduler) {
    this.name = name;
    this.startedAt = clock.millis();
    this.sessions = sessions;
    this.hub = hub;
    this.presence = presence;
    this.metrics = metrics;
    sample();
    scheduler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
  }

  public String name() {
    return name;
  }

  private synchronized void sample() {
    window.add(metrics.sample());
  }

  @Override
  public CompletionStage<List<NodeStatus>> status() {
    return CompletableFuture.completedFuture(List.of(ownStatus()));
  }

  /** This node's status now. */
  public NodeStatus ownStatus() {
    NodeSample oldest;
    NodeSample newest;
    synchronized (this) {
      window.add(metrics.sample());
      oldest = window.oldest();
      newest = window.newest();
    }
    Map<String, Integer> byTenant = new TreeMap<>();
    int connections = 0;
    for (Session session : sessions.open()) {
      byTenant.merge(session.principal().tenantCode(), 1, Integer::sum);
      connections++;
    }
    long subscriptions = 0;
    for (SubCode code : SubCode.values()) {
      subscriptions += hub.subscriptionCount(code);
    }
    Double p99 = newest.latencyP99Millis(oldest);
    return new NodeStatus(
        name,
        startedAt,
        connections,
        byTenant,
        subscriptions,
        presence.connected(),
        round(newest.eventsInPerSecond(oldest), 10),
        round(newest.eventsOutPerSecond(oldest), 10),
        newest.dropped(),
        newest.slowClientCloses(),
        p99 == null ? null : round(p99, 1000));
  }

  /** Rounded to {@code 1/per}: what a person reads of a rate or a bucket bound. */
  private static double round(double value, int per) {
    return Math.round(value * per) / (double) per;
  }

  @Override
  public CompletionStage<Page> connections(String query, int limit) {
    String q = query == null ? null : query.toLowerCase(Locale.ROOT);
    List<Session> matching = new ArrayList<>();
    for (Session session : sessions.open()) {
      if (q == null
          || session.connectId().contains(q)
          || session.principal().userId().toLowerCase(Locale.ROOT).contains(q)) {
        matching.add(session);
      }
    }
    List<CompletableFuture<ConnectionInfo>> described = new ArrayList<>();
    for (Session session : matching) {
      try {
        described.add(
            CompletableFuture.supplyAsync(session::describe, session.recipient().executor()));
      } catch (RejectedExecutionException closing) {
        // its thread is stopping, and the connection with it
      }
    }
    return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<NodeConnection> items =
                  described.stream().map(f -> new NodeConnection(name, f.join())).toList();
              return Page.merge(List.of(new Page(items, items.size())), limit);
            });
  }

  @Override
  public CompletionStage<Boolean> close(String connectId, CloseCode code, String reason) {
    return CompletableFuture.completedFuture(
        sessions
            .find(connectId)
            .map(
                session -> {
                  try {
                    session.recipient().executor().execute(() -> session.close(code, reason));
                    return true;
                  } catch (RejectedExecutionException closing) {
                    return false;
                  }
                })
            .orElse(false));
  }
}
