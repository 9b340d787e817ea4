package io.thingpush.server.nats;

import io.nats.client.Dispatcher;
import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.cluster.RegistryChanges;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry changes over NATS: an announcement runs the hooks (directory update, session
 * re-check) on this node at once and sends the change on {@code <name>.registry.changed}, on
 * which every other node runs its hooks on an io thread. A node that was disconnected reloads
 * everything when it reconnects, since it may have missed an announcement.
 */
public final class NatsRegistryChanges implements RegistryChanges, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsRegistryChanges.class);
  // "<sender>\t<scope>[\t<productID>\t<deviceName>]": ids never hold a tab.
  private static final String SEPARATOR = "\t";

  private final NatsCluster nats;
  private final String subject;
  private final List<Consumer<RegistryChange>> hooks = new CopyOnWriteArrayList<>();
  private final Dispatcher dispatcher;
  private final String self = UUID.randomUUID().toString();

  public NatsRegistryChanges(NatsCluster nats) {
    this.nats = nats;
    this.subject = nats.name() + ".registry.changed";
    this.dispatcher = nats.connection().createDispatcher(message -> {
      String[] parts = new String(message.getData(), StandardCharsets.UTF_8).split(SEPARATOR);
      if (!parts[0].equals(self)) {
        RegistryChange change = decode(parts);
        nats.io().execute(() -> runHooks(change));
      }
    });
    dispatcher.subscribe(subject);
    nats.onResume(() -> runHooks(RegistryChange.ALL));
  }

  @Override
  public void announce(RegistryChange change) {
    runHooks(change);
    nats.connection().publish(subject, encode(change).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void onChange(Consumer<RegistryChange> hook) {
    hooks.add(hook);
  }

  private String encode(RegistryChange change) {
    String head = self + SEPARATOR + change.scope().name();
    return change.scope() == RegistryChange.Scope.DEVICE
        ? head + SEPARATOR + change.productId() + SEPARATOR + change.deviceName()
        : head;
  }

  /** A change this version cannot read is taken as "everything changed". */
  private static RegistryChange decode(String[] parts) {
    try {
      RegistryChange.Scope scope = RegistryChange.Scope.valueOf(parts[1]);
      return scope == RegistryChange.Scope.DEVICE
          ? RegistryChange.device(parts[2], parts[3])
          : new RegistryChange(scope, null, null);
    } catch (RuntimeException e) {
      return RegistryChange.ALL;
    }
  }

  private void runHooks(RegistryChange change) {
    for (Consumer<RegistryChange> hook : hooks) {
      try {
        hook.accept(change);
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
