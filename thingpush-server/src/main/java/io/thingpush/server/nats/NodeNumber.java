package io.thingpush.server.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Numbers the nodes of a cluster: each start takes the next number from a counter in a
 * key-value bucket (compare-and-set), so no two node runs ever share one. A node's connectIDs
 * are {@code number × 10^12 + its own counter}: unique over the cluster and never reused.
 */
public final class NodeNumber {
  /** ConnectIDs one node run can give before it would reach the next node's range. */
  public static final long CONNECT_IDS_PER_NODE = 1_000_000_000_000L;

  private static final String COUNTER = "node-counter";

  private NodeNumber() {}

  public static long take(NatsCluster nats) {
    try {
      KeyValue bucket = nats.bucket("cluster", null);
      while (true) {
        KeyValueEntry entry = bucket.get(COUNTER);
        try {
          if (entry == null) {
            bucket.create(COUNTER, bytes(1));
            return 1;
          }
          long next = Long.parseLong(entry.getValueAsString()) + 1;
          bucket.update(COUNTER, bytes(next), entry.getRevision());
          return next;
        } catch (JetStreamApiException taken) {
          if (taken.getApiErrorCode() != 10071) {
            throw taken;
          }
        }
      }
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot number this node: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }
}
