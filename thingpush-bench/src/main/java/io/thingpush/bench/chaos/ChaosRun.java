package io.thingpush.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.bench.BenchRegistry;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ThingPushClient;
import io.thingpush.protocol.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs the scenarios one after the other on one cluster. */
final class ChaosRun {
  private static final long POLL_MILLIS = 200;
  private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

  private final ChaosSettings settings;
  private final ChaosCluster cluster;
  private final PrintWriter log;

  ChaosRun(ChaosSettings settings, ChaosCluster cluster, PrintWriter log) {
    this.settings = settings;
    this.cluster = cluster;
    this.log = log;
  }

  /** One subscriber's figures in a publishing scenario. */
  record SubscriberResult(String name, String trail, Tally tally, int resumes, int notRecovered) {}

  /** A publishing scenario: what was acknowledged, and each subscriber's figures. */
  record StreamResult(
      Scenario scenario, long acknowledged, long notTaken, List<SubscriberResult> subscribers) {
    boolean failed() {
      return subscribers.stream().anyMatch(s -> s.tally().failed());
    }
  }

  /**
   * The revoke scenario: {@code stale} events pushed to the user on node A after the revoke was
   * acknowledged and before its {@code down.unSubRet} 100012, {@code afterEnd} after it;
   * {@code unended} rounds whose 100012 never came; {@code missed} events published before
   * the revoke that did not reach the user (a loss).
   */
  record RevokeResult(
      int rounds,
      long stale,
      int roundsWithStale,
      long afterEnd,
      int unended,
      int missed,
      List<String> staleSeqs) {
    boolean failed() {
      return stale > 0 || afterEnd > 0 || unended > 0 || missed > 0;
    }
  }

  StreamResult stream(Scenario scenario) throws Exception {
    cluster.reviveNodes();
    ExecutorService reconnects = Executors.newCachedThreadPool(daemon("chaos-resume"));
    List<Subscriber> subscribers = new ArrayList<>();
    List<Thread> churning = new ArrayList<>();
    try {
      for (int node = 0; node < 2; node++) {
        for (int i = 1; i <= settings.steady(); i++) {
          Subscriber s =
              new Subscriber(
                  "on " + cluster.node(node).name() + " #" + i,
                  cluster,
                  reconnects,
                  settings.dropEvery());
          s.start(node);
          subscribers.add(s);
        }
      }
      if (scenario == Scenario.CHURN) {
        for (int i = 1; i <= settings.churners(); i++) {
          Subscriber s =
              new Subscriber("churning #" + i, cluster, reconnects, settings.dropEvery());
          s.start(i % 2);
          subscribers.add(s);
        }
      }
      long start = System.nanoTime();
      Publishers publishers =
          Publishers.start(cluster, settings.publishers(), settings.rate(), settings.duration());
      if (scenario == Scenario.CHURN) {
        for (Subscriber s : subscribers.subList(2 * settings.steady(), subscribers.size())) {
          churning.add(churn(s, start + settings.duration().toNanos()));
        }
      }
      fault(scenario, start);
      publishers.join();
      for (Thread t : churning) {
        t.join();
      }
      SortedSet<Long> acknowledged = publishers.acknowledged();
      drain(subscribers, acknowledged);
      List<SubscriberResult> results = new ArrayList<>();
      for (Subscriber s : subscribers) {
        results.add(
            new SubscriberResult(
                s.name(),
                s.trail(),
                Tally.of(acknowledged, s.received()),
                s.resumes(),
                s.notRecovered()));
      }
      return new StreamResult(scenario, acknowledged.size(), publishers.notTaken(), results);
    } finally {
      for (Thread t : churning) {
        t.interrupt();
      }
      subscribers.forEach(Subscriber::stop);
      reconnects.shutdownNow();
    }
  }

  /** Causes the scenario's fault a third of the way in (a kill: half way), while publishers run. */
  private void fault(Scenario scenario, long start) throws Exception {
    long third = settings.duration().toNanos() / 3;
    switch (scenario) {
      case NATS_RESTART -> {
        sleepUntil(start + third);
        log.println("  stopping NATS for " + settings.outage().toMillis() + " ms");
        cluster.nats().stop();
        Thread.sleep(settings.outage().toMillis());
        cluster.nats().restart(Duration.ofSeconds(10));
      }
      case NATS_FREEZE -> {
        sleepUntil(start + third);
        log.println("  freezing NATS for " + settings.outage().toMillis() + " ms");
        cluster.nats().freeze();
        Thread.sleep(settings.outage().toMillis());
        cluster.nats().thaw();
      }
      case KILL -> {
        sleepUntil(start + settings.duration().toNanos() / 2);
        log.println("  killing node A (SIGKILL)");
        cluster.node(0).kill();
      }
      default -> {
        // churn: the churning subscribers are the fault
      }
    }
  }

  /** Closes and resumes {@code s} every churn interval until {@code end}, alternating nodes. */
  private Thread churn(Subscriber s, long end) {
    long bound = settings.duration().toNanos() / settings.churnEvery().toNanos() + 1;
    Thread thread =
        daemon("chaos-churn")
            .newThread(
                () -> {
                  try {
                    for (long i = 0;
                        i < bound && System.nanoTime() + settings.churnEvery().toNanos() < end;
                        i++) {
                      Thread.sleep(settings.churnEvery().toMillis());
                      s.churn();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    thread.start();
    return thread;
  }

  /** Waits until every subscriber has every acknowledged event, at most the drain time. */
  private void drain(List<Subscriber> subscribers, SortedSet<Long> acknowledged)
      throws InterruptedException {
    long deadline = System.nanoTime() + settings.drain().toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (Subscriber s : subscribers) {
        Set<Long> got = new HashSet<>(s.received());
        all &= got.containsAll(acknowledged);
      }
      if (all) {
        return;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * Rounds of: the viewer on node A subscribed through its grant and receiving; the grant
   * revoked through node B; events published through B once the revoke is acknowledged; the
   * viewer's 100012 awaited; the grant given back.
   */
  RevokeResult revoke() throws Exception {
    cluster.reviveNodes();
    long stale = 0;
    long afterEnd = 0;
    int roundsWithStale = 0;
    int unended = 0;
    int missed = 0;
    List<String> staleSeqs = new ArrayList<>();
    for (int round = 1; round <= settings.rounds(); round++) {
      RevokeRound r = new RevokeRound();
      Connection viewer = r.subscribe();
      try {
        OptionalLong before = cluster.publish(1, 0, round);
        if (before.isEmpty() || !r.awaitSeq(before.getAsLong())) {
          missed++;
        }
        int revoked =
            cluster.admin(
                1,
                "DELETE",
                "/grants?userID=" + ChaosCluster.VIEWER + "&projectID=" + BenchRegistry.PROJECT,
                null);
        if (revoked != 200) {
          throw new IllegalStateException(
              "revoking the viewer's grant through node B answered " + revoked);
        }
        r.revoked.set(true);
        for (int i = 0; i < settings.revokePublishes(); i++) {
          cluster.publish(1, i % ChaosCluster.DEVICES, round);
        }
        if (!r.ended.await(REVOKE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          unended++;
        }
        viewer.ping(Json.object()).get(REVOKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        viewer.close();
      }
      stale += r.stale.size();
      afterEnd += r.afterEnd.size();
      if (!r.stale.isEmpty()) {
        roundsWithStale++;
        staleSeqs.add("round " + round + ": " + r.stale);
      }
      int granted =
          cluster.admin(
              1,
              "POST",
              "/grants",
              "{\"userID\":\""
                  + ChaosCluster.VIEWER
                  + "\",\"projectID\":\""
                  + BenchRegistry.PROJECT
                  + "\"}");
      if (granted != 201 && granted != 200) {
        throw new IllegalStateException(
            "granting the project again through node B answered " + granted);
      }
    }
    return new RevokeResult(
        settings.rounds(), stale, roundsWithStale, afterEnd, unended, missed, staleSeqs);
  }

  /** What the viewer's connection on node A saw in one round. */
  private final class RevokeRound {
    final AtomicBoolean revoked = new AtomicBoolean();
    final CountDownLatch ended = new CountDownLatch(1);
    final ConcurrentLinkedQueue<Long> stale = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> afterEnd = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> received = new ConcurrentLinkedQueue<>();

    /** Connects the viewer to node A and subscribes, retrying while A has not yet applied the last grant. */
    Connection subscribe() throws Exception {
      long deadline = System.nanoTime() + REVOKE_WAIT.toNanos();
      Connection c =
          ThingPushClient.connect(
                  ConnectOptions.builder(cluster.node(0).wsBase())
                      .appCode(BenchRegistry.APP)
                      .token(cluster.token(ChaosCluster.VIEWER, false))
                      .build())
              .get(REVOKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      c.onPush(
          push -> {
            long seq = push.path("seq").asLong();
            received.add(seq);
            if (ended.getCount() == 0) {
              afterEnd.add(seq);
            } else if (revoked.get()) {
              stale.add(seq);
            }
          });
      c.onUnsolicited(
          frame -> {
            if ("down.unSubRet".equals(frame.path("type").asText())
                && frame.path("code").asInt() == 100012) {
              ended.countDown();
            }
          });
      ObjectNode body = Json.object().put("code", "devicePropertyReport");
      body.putObject("params").put("projectID", BenchRegistry.PROJECT);
      while (true) {
        JsonNode reply = c.subscribe(body).get(REVOKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (reply.path("code").asInt() == 200) {
          return c;
        }
        if (System.nanoTime() > deadline) {
          c.close();
          throw new IllegalStateException("the viewer could not subscribe on node A: " + reply);
        }
        Thread.sleep(POLL_MILLIS);
      }
    }

    boolean awaitSeq(long seq) throws InterruptedException {
      long deadline = System.nanoTime() + REVOKE_WAIT.toNanos();
      while (!received.contains(seq)) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(20);
      }
      return true;
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
