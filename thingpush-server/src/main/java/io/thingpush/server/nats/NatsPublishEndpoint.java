package io.thingpush.server.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.LogSafe;
import io.thingpush.server.config.ConfigException;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.publish.IdempotencyKeys;
import io.thingpush.server.publish.PlatformPublish;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform publish API over NATS (docs/publish-api.md#over-nats): the HTTP API's request
 * body on {@code publish.nats.subject}, its key in an {@code Authorization} header. The nodes
 * take the subject in one queue group, so each event is taken by exactly one node. A request
 * (a message with a reply subject) gets the HTTP API's answer, sent once the log holds the
 * event; a refusal nobody waits for is logged (and counted, like every refusal).
 */
public final class NatsPublishEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsPublishEndpoint.class);
  private static final String AUTHORIZATION = "Authorization";

  /** How long a start waits for NATS to confirm the subscription, and a stop for what was taken. */
  private static final Duration NATS_WAIT = Duration.ofSeconds(5);

  private final Connection connection;
  private final boolean ownConnection;
  private final String subject;
  private final PlatformPublish publish;
  private final Dispatcher dispatcher;

  private NatsPublishEndpoint(
      Connection connection,
      boolean ownConnection,
      ThingPushConfig.PublishNats config,
      PlatformPublish publish) {
    this.connection = connection;
    this.ownConnection = ownConnection;
    this.subject = config.subject();
    this.publish = publish;
    this.dispatcher = connection.createDispatcher(this::take);
    dispatcher.subscribe(subject, config.queueGroup());
  }

  /**
   * Takes {@code publish.nats.subject} on a connection of its own to {@code publish.nats.url}, or
   * on the cluster's connection when no url is given; returns once NATS has the subscription.
   *
   * @param cluster the node's cluster connection, null in embedded mode
   * @throws ConfigException when NATS cannot be reached
   */
  public static NatsPublishEndpoint start(
      ThingPushConfig.PublishNats config, NatsCluster cluster, PlatformPublish publish) {
    Connection connection = null;
    try {
      connection =
          config.ownConnection()
              ? Nats.connect(
                  NatsCluster.options(config.url(), "thingpush-publish")
                      .connectionListener(NatsPublishEndpoint::connectionEvent)
                      .build())
              : cluster.connection();
      NatsPublishEndpoint endpoint =
          new NatsPublishEndpoint(connection, config.ownConnection(), config, publish);
      connection.flush(NATS_WAIT);
      LOG.info(
          "platform events over NATS: subject {} queue group {}",
          config.subject(),
          config.queueGroup());
      return endpoint;
    } catch (IOException | TimeoutException e) {
      if (config.ownConnection() && connection != null) {
        closeQuietly(connection);
      }
      String where = config.ownConnection() ? config.url() : "the cluster's NATS";
      throw new ConfigException(
          "publish.nats: cannot take " + config.subject() + " on " + where + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("publish.nats: interrupted while connecting");
    }
  }

  /** One platform message, on the dispatcher's thread; the answer follows when the log holds the event. */
  private void take(Message message) {
    String replyTo = message.getReplyTo();
    String body = new String(message.getData(), StandardCharsets.UTF_8);
    String authorization = header(message, AUTHORIZATION);
    String idempotencyKey = header(message, IdempotencyKeys.HEADER);
    publish
        .publish("nats", authorization, idempotencyKey, body)
        .thenAccept(
            outcome -> {
              if (replyTo != null) {
                reply(replyTo, outcome.answerText().getBytes(StandardCharsets.UTF_8));
              } else if (outcome.refusal() != null) {
                LOG.warn(
                    "platform event on {} refused: {}",
                    subject,
                    LogSafe.of(outcome.refusal().message(Lang.EN)));
              }
            });
  }

  private void reply(String replyTo, byte[] answer) {
    try {
      connection.publish(replyTo, answer);
    } catch (IllegalStateException closed) {
      LOG.warn(
          "answer to a platform request on {} not sent: {}",
          subject,
          LogSafe.of(closed.getMessage()));
    }
  }

  /** The header {@code name}, in any case as over HTTP; null when there is none. */
  private static String header(Message message, String name) {
    if (!message.hasHeaders()) {
      return null;
    }
    List<String> values = message.getHeaders().getIgnoreCase(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static void connectionEvent(Connection conn, ConnectionListener.Events event) {
    switch (event) {
      case DISCONNECTED -> LOG.warn("NATS of platform events disconnected; reconnecting");
      case RECONNECTED ->
          LOG.info("NATS of platform events reconnected to {}", conn.getConnectedUrl());
      default -> {}
    }
  }

  /** Stops taking events; those this node already took are still published and answered. */
  @Override
  public void close() {
    try {
      dispatcher.drain(NATS_WAIT).get();
    } catch (ExecutionException | IllegalStateException e) {
      LOG.warn("platform events on {} not drained: {}", subject, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownConnection) {
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
