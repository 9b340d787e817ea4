package io.thingpush.server.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.thingpush.core.session.ConnectionQuota;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections per user and per tenant counted over the whole cluster (SPEC §6). Each node
 * counts its own connections exactly and publishes its counts to a key-value bucket
 * ({@code u.<tenant>.<user>.<node>} and {@code t.<tenant>.<node>}); every node watches the
 * bucket and checks a connect against its own count plus the others'. A node renews its entries
 * every {@code leaseMs/3}; the entries of a node not heard from for {@code leaseMs} no longer
 * count (and the bucket lets them expire), so a dead node's connections are not held forever.
 * The check itself never waits for NATS: two connects landing on two nodes within one
 * publish of each other can both pass the last free place.
 */
public final class ClusterConnectionQuota implements ConnectionQuota, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterConnectionQuota.class);

  private final NatsCluster nats;
  private final String node;
  private final int perUser;
  private final int perTenant;
  private final long leaseNanos;
  private final KeyValue bucket;
  private final Map<String, Integer> local = new HashMap<>();

  /** Other nodes' counts by key without its node token, then by node: count and when heard. */
  private final Map<String, Map<String, long[]>> remote = new ConcurrentHashMap<>();

  private final ScheduledExecutorService renewer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "thingpush-quota-lease");
            t.setDaemon(true);
            return t;
          });

  public ClusterConnectionQuota(NatsCluster nats, String node, int perUser, int perTenant) {
    this.nats = nats;
    this.node = node;
    this.perUser = perUser;
    this.perTenant = perTenant;
    long leaseMs = nats.config().leaseMs();
    this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
    try {
      this.bucket = nats.bucket("conns", Duration.ofMillis(leaseMs));
      bucket.watchAll(new Watcher(), KeyValueWatchOption.IGNORE_DELETE);
    } catch (IOException | JetStreamApiException | InterruptedException e) {
      throw new IllegalStateException(
          "cannot set up the connection-count bucket: " + e.getMessage(), e);
    }
    renewer.scheduleWithFixedDelay(this::renew, leaseMs / 3, leaseMs / 3, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized boolean tryAcquire(String tenantCode, String userId) {
    String user = userKey(tenantCode, userId);
    String tenant = tenantKey(tenantCode);
    if (total(user) >= perUser || total(tenant) >= perTenant) {
      return false;
    }
    publish(user, local.merge(user, 1, Integer::sum));
    publish(tenant, local.merge(tenant, 1, Integer::sum));
    return true;
  }

  @Override
  public synchronized void release(String tenantCode, String userId) {
    for (String key : new String[] {userKey(tenantCode, userId), tenantKey(tenantCode)}) {
      Integer left = local.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
      publish(key, left == null ? 0 : left);
    }
  }

  private int total(String key) {
    int total = local.getOrDefault(key, 0);
    long now = System.nanoTime();
    Map<String, long[]> others = remote.get(key);
    if (others != null) {
      for (long[] countAndHeard : others.values()) {
        if (now - countAndHeard[1] < leaseNanos) {
          total += (int) countAndHeard[0];
        }
      }
    }
    return total;
  }

  private static String userKey(String tenantCode, String userId) {
    return "u." + Subjects.token(tenantCode) + '.' + Subjects.token(userId);
  }

  private static String tenantKey(String tenantCode) {
    return "t." + Subjects.token(tenantCode);
  }

  /**
   * Publishes one count of this node without waiting, on one thread so a key's puts keep their
   * order (a lost one is fixed by the next renewal).
   */
  private void publish(String key, int count) {
    byte[] value = Integer.toString(count).getBytes(StandardCharsets.US_ASCII);
    renewer.execute(
        () -> {
          try {
            bucket.put(key + '.' + node, value);
          } catch (IOException | JetStreamApiException e) {
            LOG.debug("connection count not published: {}", e.toString());
          }
        });
  }

  private synchronized void renew() {
    local.forEach(this::publish);
  }

  private final class Watcher implements KeyValueWatcher {
    @Override
    public void watch(KeyValueEntry entry) {
      String key = entry.getKey();
      int dot = key.lastIndexOf('.');
      String owner = key.substring(dot + 1);
      if (owner.equals(node)) {
        return;
      }
      Map<String, long[]> byNode =
          remote.computeIfAbsent(key.substring(0, dot), k -> new ConcurrentHashMap<>());
      if (entry.getOperation() == KeyValueOperation.PUT) {
        byNode.put(owner, new long[] {Long.parseLong(entry.getValueAsString()), System.nanoTime()});
      } else {
        byNode.remove(owner);
      }
    }

    @Override
    public void endOfData() {}
  }

  @Override
  public void close() {
    renewer.shutdownNow();
  }
}
