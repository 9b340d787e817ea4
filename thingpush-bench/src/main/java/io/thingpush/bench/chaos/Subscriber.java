package io.thingpush.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.bench.BenchRegistry;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ThingPushClient;
import io.thingpush.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An app subscribed to every property report of the bench project, as one logical subscriber
 * across connections: it keeps every seq pushed to it in arrival order and its position (the
 * highest seq it has), and each new connection resumes with {@code since} = that position. A
 * connection that ends without being asked to (its node died) is replaced on the other node.
 */
final class Subscriber {
  private static final int OPEN_TRIES = 40;
  private static final long RETRY_MILLIS = 250;
  private static final long REQUEST_SECONDS = 10;

  private final String name;
  private final ChaosCluster cluster;
  private final Executor reconnects;
  private final int dropEvery;
  private final List<Long> received = new ArrayList<>();
  private final List<String> trail = new ArrayList<>();
  private long position;
  private long pushes;
  private int resumes;
  private int notRecovered;
  private int failedOpens;
  private volatile Connection connection;
  private volatile int node;
  private volatile boolean stopping;

  /**
   * @param dropEvery 0, or n to ignore every n-th push (the harness's test of itself: such a run
   *     must report the ignored events lost)
   */
  Subscriber(String name, ChaosCluster cluster, Executor reconnects, int dropEvery) {
    this.name = name;
    this.cluster = cluster;
    this.reconnects = reconnects;
    this.dropEvery = dropEvery;
  }

  String name() {
    return name;
  }

  /** Connects to node {@code first} and subscribes (retrying while a fault lasts). */
  void start(int first) throws InterruptedException {
    openWithRetries(first);
  }

  /** Closes the connection as a client going away would, and resumes on the other node. */
  void churn() throws InterruptedException {
    Connection old = connection;
    connection = null;
    if (old != null) {
      old.close();
    }
    openWithRetries(1 - node);
  }

  private void openWithRetries(int preferred) throws InterruptedException {
    for (int attempt = 0; attempt < OPEN_TRIES && !stopping; attempt++) {
      int target =
          attempt % 2 == 0 || !cluster.node(1 - preferred).alive() ? preferred : 1 - preferred;
      if (!cluster.node(target).alive()) {
        target = 1 - target;
      }
      try {
        open(target);
        return;
      } catch (Exception e) {
        synchronized (this) {
          failedOpens++;
        }
        Thread.sleep(RETRY_MILLIS);
      }
    }
    if (!stopping) {
      throw new IllegalStateException(
          name + " could not connect and subscribe in " + OPEN_TRIES + " tries");
    }
  }

  private void open(int target) throws Exception {
    ClusterNode server = cluster.node(target);
    Connection c =
        ThingPushClient.connect(
                ConnectOptions.builder(server.wsBase())
                    .appCode(BenchRegistry.APP)
                    .token(cluster.token("watcher", true))
                    .build())
            .get(REQUEST_SECONDS, TimeUnit.SECONDS);
    if (!c.accepted()) {
      throw new IllegalStateException("refused: " + c.hello());
    }
    c.onPush(this::pushed);
    long since;
    synchronized (this) {
      since = position;
    }
    ObjectNode body = Json.object().put("code", "devicePropertyReport");
    body.putObject("params").put("projectID", BenchRegistry.PROJECT);
    if (since > 0) {
      body.put("since", since);
    }
    JsonNode reply;
    try {
      reply = c.subscribe(body).get(REQUEST_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      c.close();
      throw e;
    }
    if (reply.path("code").asInt() != 200) {
      c.close();
      throw new IllegalStateException("subscription refused: " + reply);
    }
    synchronized (this) {
      if (since == 0) {
        position = Math.max(position, reply.path("seq").asLong());
      } else {
        resumes++;
        if (!reply.path("recovered").asBoolean()) {
          notRecovered++;
        }
      }
      trail.add(server.name());
    }
    node = target;
    connection = c;
    c.closed()
        .thenRun(
            () -> {
              if (!stopping && connection == c) {
                reconnects.execute(this::resumeAfterLoss);
              }
            });
  }

  private void resumeAfterLoss() {
    try {
      openWithRetries(1 - node);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      synchronized (this) {
        failedOpens++;
      }
    }
  }

  private void pushed(JsonNode push) {
    long seq = push.path("seq").asLong();
    synchronized (this) {
      pushes++;
      if (dropEvery > 0 && pushes % dropEvery == 0) {
        return;
      }
      received.add(seq);
      position = Math.max(position, seq);
    }
  }

  /** The seqs pushed so far, in arrival order. */
  synchronized List<Long> received() {
    return List.copyOf(received);
  }

  /** The nodes it was connected to, in order: "A>B", or "A>B>…>A (76)" past four connections. */
  synchronized String trail() {
    if (trail.size() <= 4) {
      return String.join(">", trail);
    }
    return trail.get(0)
        + ">"
        + trail.get(1)
        + ">…>"
        + trail.get(trail.size() - 1)
        + " ("
        + trail.size()
        + ")";
  }

  synchronized int resumes() {
    return resumes;
  }

  /** Resumes answered {@code recovered:false}: history did not reach back to the position. */
  synchronized int notRecovered() {
    return notRecovered;
  }

  synchronized int failedOpens() {
    return failedOpens;
  }

  void stop() {
    stopping = true;
    Connection c = connection;
    if (c != null) {
      c.close();
    }
  }
}
