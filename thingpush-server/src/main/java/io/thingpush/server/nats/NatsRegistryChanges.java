package io.thingpush.server.nats;

import io.nats.client.Dispatcher;
import io.thingpush.core.cluster.RegistryChanges;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry changes over NATS: an announcement runs the hooks (directory reload, session
 * re-check) on this node at once and sends a message on {@code <name>.registry.changed}, on
 * which every other node runs its hooks on an io thread. A node that was disconnected reloads when it reconnects, since it may have
 * missed an announcement.
 */
public final class NatsRegistryChanges implements RegistryChanges, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsRegistryChanges.class);

  private final NatsCluster nats;
  private final String subject;
  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
  private final Dispatcher dispatcher;
  private final byte[] self = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);

  public NatsRegistryChanges(NatsCluster nats) {
    this.nats = nats;
    this.subject = nats.name() + ".registry.changed";
    this.dispatcher = nats.connection().createDispatcher(message -> {
      if (!Arrays.equals(message.getData(), self)) {
        nats.io().execute(this::runHooks);
      }
    });
    dispatcher.subscribe(subject);
    nats.onResume(this::runHooks);
  }

  @Override
  public void announce() {
    runHooks();
    nats.connection().publish(subject, self);
  }

  @Override
  public void onChange(Runnable hook) {
    hooks.add(hook);
  }

  private void runHooks() {
    for (Runnable hook : hooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.warn("registry change hook failed", e);
      }
    }
  }

  @Override
  public void close() {
    nats.connection().closeDispatcher(dispatcher);
  }
}
