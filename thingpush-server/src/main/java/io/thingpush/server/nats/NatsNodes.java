package io.thingpush.server.nats;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.thingpush.protocol.CloseCode;
import io.thingpush.protocol.Json;
import io.thingpush.server.observe.LocalNode;
import io.thingpush.server.observe.NodeStatus;
import io.thingpush.server.observe.Nodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator view over the whole cluster: a question goes on {@code <name>.nodes.<question>} to
 * every node, each answers for itself and its own connections on the asker's inbox, and the
 * answers that arrive within {@value #GATHER_MS} ms are the cluster's (a node that does not answer
 * in time is left out). A close is answered only by the node that holds the connection.
 */
public final class NatsNodes implements Nodes, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsNodes.class);
  static final long GATHER_MS = 500;

  private final NatsCluster nats;
  private final LocalNode local;
  private final String status;
  private final String connections;
  private final String close;
  private final Dispatcher dispatcher;

  public NatsNodes(NatsCluster nats, LocalNode local) {
    this.nats = nats;
    this.local = local;
    String prefix = nats.name() + ".nodes.";
    this.status = prefix + "status";
    this.connections = prefix + "connections";
    this.close = prefix + "close";
    this.dispatcher = nats.connection().createDispatcher();
    dispatcher.subscribe(status, m -> reply(m, local.ownStatus()));
    dispatcher.subscribe(
        connections,
        m -> {
          JsonNode q = Json.parseOrNull(new String(m.getData(), StandardCharsets.UTF_8));
          local
              .connections(
                  q == null || q.path("q").isNull() ? null : q.path("q").asText(),
                  q == null ? 0 : q.path("limit").asInt())
              .thenAccept(page -> reply(m, page));
        });
    dispatcher.subscribe(
        close,
        m -> {
          JsonNode c = Json.parseOrNull(new String(m.getData(), StandardCharsets.UTF_8));
          CloseCode code = c == null ? null : CloseCode.of(c.path("code").asInt());
          if (code != null) {
            local
                .close(c.path("connectID").asText(), code, c.path("reason").asText())
                .thenAccept(
                    closed -> {
                      if (closed) {
                        reply(m, true);
                      }
                    });
          }
        });
  }

  @Override
  public CompletionStage<List<NodeStatus>> status() {
    return gather(status, Json.object(), NodeStatus.class)
        .thenApply(
            list -> {
              List<NodeStatus> sorted = new ArrayList<>(list);
              sorted.sort((a, b) -> a.node().compareTo(b.node()));
              return sorted;
            });
  }

  @Override
  public CompletionStage<Page> connections(String query, int limit) {
    return gather(connections, Json.object().put("q", query).put("limit", limit), Page.class)
        .thenApply(pages -> Page.merge(pages, limit));
  }

  @Override
  public CompletionStage<Boolean> close(String connectId, CloseCode code, String reason) {
    byte[] request =
        Json.bytes(
            Json.object()
                .put("connectID", connectId)
                .put("code", code.code())
                .put("reason", reason));
    return nats.connection()
        .request(close, request)
        .orTimeout(GATHER_MS, TimeUnit.MILLISECONDS)
        .handle((answer, failure) -> failure == null);
  }

  /** Asks every node and collects the answers that arrive within the gather time. */
  private <T> CompletionStage<List<T>> gather(String subject, JsonNode request, Class<T> type) {
    List<T> answers = Collections.synchronizedList(new ArrayList<>());
    String inbox = nats.connection().createInbox();
    Subscription replies =
        dispatcher.subscribe(
            inbox,
            m -> {
              try {
                answers.add(Json.MAPPER.readValue(m.getData(), type));
              } catch (IOException e) {
                LOG.warn("a node's answer on {} is unreadable: {}", subject, e.toString());
              }
            });
    nats.connection().publish(subject, inbox, Json.bytes(request));
    return CompletableFuture.supplyAsync(
        () -> {
          dispatcher.unsubscribe(replies);
          synchronized (answers) {
            return List.copyOf(answers);
          }
        },
        CompletableFuture.delayedExecutor(GATHER_MS, TimeUnit.MILLISECONDS, nats.io()));
  }

  private void reply(Message request, Object answer) {
    if (request.getReplyTo() != null) {
      try {
        nats.connection().publish(request.getReplyTo(), Json.MAPPER.writeValueAsBytes(answer));
      } catch (IOException e) {
        LOG.warn("cannot answer {}: {}", request.getSubject(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    nats.connection().closeDispatcher(dispatcher);
  }
}
