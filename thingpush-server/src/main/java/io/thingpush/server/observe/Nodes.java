package io.thingpush.server.observe;

import io.thingpush.core.session.ConnectionInfo;
import io.thingpush.protocol.CloseCode;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the operator view asks of the nodes of the service (docs/admin-api.md): each node answers
 * for itself and its own connections. Alone, that is this node; in a cluster, every node that
 * answers over NATS.
 */
public interface Nodes {
  /** Each node's status, by node name. */
  CompletionStage<List<NodeStatus>> status();

  /**
   * The open connections whose connectID or userID holds {@code query} (any case; null: all),
   * newest first, at most {@code limit} of them, and how many match in all.
   */
  CompletionStage<Page> connections(String query, int limit);

  /** Closes connection {@code connectId} with {@code code} and {@code reason}; false when no node has it open. */
  CompletionStage<Boolean> close(String connectId, CloseCode code, String reason);

  /** An open connection and the node that holds it. */
  record NodeConnection(String node, ConnectionInfo connection) {}

  /** Some matching connections, newest first, and how many match in all. */
  record Page(List<NodeConnection> items, int total) {

    /** The pages of several nodes as one, cut to {@code limit}. */
    public static Page merge(List<Page> pages, int limit) {
      List<NodeConnection> all = new java.util.ArrayList<>();
      int total = 0;
      for (Page page : pages) {
        all.addAll(page.items());
        total += page.total();
      }
      all.sort(NEWEST_FIRST);
      return new Page(List.copyOf(all.subList(0, Math.min(limit, all.size()))), total);
    }
  }

  java.util.Comparator<NodeConnection> NEWEST_FIRST =
      java.util.Comparator.comparingLong((NodeConnection c) -> c.connection().openedAt())
          .reversed()
          .thenComparing(c -> c.connection().connectId());
}
