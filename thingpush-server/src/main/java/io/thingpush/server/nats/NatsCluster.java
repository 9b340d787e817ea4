package io.thingpush.server.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.thingpush.server.config.ConfigException;
import io.thingpush.server.config.ThingPushConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connection to NATS and what the service keeps in JetStream: the event stream
 * (the events with their seqs and the registry changes among them, which every node tails) and
 * the key-value buckets. Reconnects by itself with capped exponential backoff; blocking
 * NATS calls of the node run on its {@link #io()} threads, never on a connection's thread.
 */
public final class NatsCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsCluster.class);
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final ThingPushConfig.Cluster config;
  private final ThingPushConfig.History history;
  private final Subjects subjects;
  private final String stream;
  private final List<Runnable> onResume = new CopyOnWriteArrayList<>();
  private final ExecutorService io;
  private final Connection connection;
  private final JetStream jetStream;
  private final JetStreamManagement management;

  private NatsCluster(ThingPushConfig.Cluster config, ThingPushConfig.History history)
      throws IOException {
    this.config = config;
    this.history = history;
    this.subjects = new Subjects(config.name());
    this.stream = config.name() + "_events";
    AtomicInteger threads = new AtomicInteger();
    this.io =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "thingpush-nats-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Options options =
        options(config.natsUrl(), "thingpush")
            .connectionListener(this::connectionEvent)
            .errorListener(
                new ErrorListener() {
                  @Override
                  public void slowConsumerDetected(Connection conn, Consumer consumer) {
                    LOG.warn(
                        "NATS slow consumer: events were dropped on this node, catching up from the stream");
                    resume();
                  }
                })
            .build();
    try {
      this.connection = Nats.connect(options);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to NATS", e);
    }
    JetStreamOptions js =
        JetStreamOptions.builder()
            .requestTimeout(Duration.ofMillis(config.publishTimeoutMs()))
            .build();
    this.jetStream = connection.jetStream(js);
    this.management = connection.jetStreamManagement(js);
  }

  /** Options of a connection to {@code urls} (comma-separated) that reconnects forever, with capped backoff. */
  static Options.Builder options(String urls, String connectionName) {
    return Options.builder()
        .servers(urls.split("\\s*,\\s*"))
        .connectionName(connectionName)
        .maxReconnects(-1)
        .reconnectDelayHandler(
            attempt ->
                Duration.ofMillis(Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(attempt, 10))));
  }

  /** Connects and makes sure the stream and buckets exist; fails naming the URL when NATS does not answer. */
  public static NatsCluster connect(
      ThingPushConfig.Cluster config, ThingPushConfig.History history) {
    try {
      NatsCluster cluster = new NatsCluster(config, history);
      cluster.declare();
      LOG.info("cluster mode: NATS {} stream {}", config.natsUrl(), cluster.stream);
      return cluster;
    } catch (IOException | JetStreamApiException e) {
      throw new ConfigException(
          "cluster.natsUrl: cannot use NATS JetStream at "
              + config.natsUrl()
              + ": "
              + e.getMessage());
    }
  }

  /** Creates or updates the event stream (history bounds and the repeat window follow the config). */
  private void declare() throws IOException, JetStreamApiException {
    StreamConfiguration events =
        StreamConfiguration.builder()
            .name(stream)
            .subjects(subjects.logAll(), subjects.registry())
            .storageType(StorageType.File)
            .replicas(config.replicas())
            .maxMessages(history.maxEvents())
            .maxAge(Duration.ofMillis(history.maxAgeMs()))
            .duplicateWindow(Duration.ofMillis(history.idempotencyWindowMs()))
            .discardPolicy(DiscardPolicy.Old)
            .build();
    if (management.getStreamNames().contains(stream)) {
      management.updateStream(events);
    } else {
      management.addStream(events);
    }
  }

  /** A key-value bucket of the service ({@code <name>_<suffix>}), created when missing. */
  KeyValue bucket(String suffix, Duration ttl) throws IOException, JetStreamApiException {
    String name = config.name() + "_" + suffix;
    KeyValueConfiguration.Builder kv =
        KeyValueConfiguration.builder()
            .name(name)
            .maxHistoryPerKey(1)
            .storageType(StorageType.File)
            .replicas(config.replicas());
    if (ttl != null) {
      kv.ttl(ttl);
    }
    if (!connection.keyValueManagement().getBucketNames().contains(name)) {
      connection.keyValueManagement().create(kv.build());
    }
    return connection.keyValue(name);
  }

  private void connectionEvent(Connection conn, ConnectionListener.Events event) {
    switch (event) {
      case DISCONNECTED -> LOG.warn("NATS disconnected; reconnecting");
      case RECONNECTED -> {
        LOG.info("NATS reconnected to {}", conn.getConnectedUrl());
        io.execute(
            () -> {
              try {
                declare();
              } catch (IOException | JetStreamApiException e) {
                LOG.warn("NATS stream check after reconnect failed: {}", e.toString());
              }
            });
        resume();
      }
      default -> {}
    }
  }

  /** Tells the node's parts that messages may have been missed (reconnect, slow consumer). */
  private void resume() {
    onResume.forEach(io::execute);
  }

  /** Runs {@code task} on an io thread whenever this node may have missed messages. */
  void onResume(Runnable task) {
    onResume.add(task);
  }

  public boolean connected() {
    return connection.getStatus() == Connection.Status.CONNECTED;
  }

  Connection connection() {
    return connection;
  }

  JetStream jetStream() {
    return jetStream;
  }

  JetStreamManagement management() {
    return management;
  }

  Subjects subjects() {
    return subjects;
  }

  String stream() {
    return stream;
  }

  String name() {
    return config.name();
  }

  ThingPushConfig.Cluster config() {
    return config;
  }

  /** Threads for blocking NATS calls. */
  ExecutorService io() {
    return io;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    io.shutdownNow();
  }
}
