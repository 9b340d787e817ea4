package io.thingpush.server.nats;

import io.thingpush.core.cluster.LocalRegistryChanges;
import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.cluster.RegistryChanges;
import io.thingpush.core.feed.Feed;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry changes in the event log: an announcement is appended to the event stream, and every
 * node (this one included) runs its hooks when its feed reaches it, between the same two events,
 * so an event appended after a change is fanned out under it on every node. An announcement
 * returns once this node's feed has applied it. When the log cannot take it, the change applies
 * here at once and every node reloads the whole registry once this one can append again; a node
 * that was disconnected reloads everything when it reconnects.
 */
public final class NatsRegistryChanges implements RegistryChanges {
  private static final Logger LOG = LoggerFactory.getLogger(NatsRegistryChanges.class);
  // "<scope>[\t<productID>\t<deviceName>]": ids never hold a tab.
  private static final String SEPARATOR = "\t";

  private final NatsCluster nats;
  private final JetStreamEventLog log;
  private final LocalRegistryChanges hooks;
  private final Feed feed;
  private volatile boolean unannounced;

  /** @param hooks what runs a change on this node; {@code feed} runs them for each change it reads */
  public NatsRegistryChanges(
      NatsCluster nats, JetStreamEventLog log, LocalRegistryChanges hooks, Feed feed) {
    this.nats = nats;
    this.log = log;
    this.hooks = hooks;
    this.feed = feed;
    nats.onResume(this::resumed);
  }

  @Override
  public void announce(RegistryChange change) {
    long waitMillis = nats.config().publishTimeoutMs();
    long seq;
    try {
      seq = log.append(change).toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn(
          "registry change {} not in the event log ({}): applied on this node, every node reloads when it can",
          change.scope(),
          e.toString());
      unannounced = true;
      hooks.announce(change);
      return;
    }
    try {
      feed.whenFed(seq).toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // In the log: it applies here when the feed reaches it, as everywhere.
      LOG.warn("registry change at seq {} not applied on this node yet: {}", seq, e.toString());
    }
  }

  @Override
  public void onChange(Consumer<RegistryChange> hook) {
    hooks.onChange(hook);
  }

  /** Messages may have been missed: reload here, and have every node reload what an announcement failed to carry. */
  private void resumed() {
    hooks.announce(RegistryChange.ALL);
    if (unannounced) {
      unannounced = false;
      log.append(RegistryChange.ALL)
          .exceptionally(
              failure -> {
                unannounced = true;
                return null;
              });
    }
  }

  static byte[] encode(RegistryChange change) {
    String text =
        change.scope() == RegistryChange.Scope.DEVICE
            ? change.scope().name()
                + SEPARATOR
                + change.productId()
                + SEPARATOR
                + change.deviceName()
            : change.scope().name();
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A change this version cannot read is taken as "everything changed". */
  static RegistryChange decode(byte[] data) {
    String[] parts = new String(data, StandardCharsets.UTF_8).split(SEPARATOR);
    try {
      RegistryChange.Scope scope = RegistryChange.Scope.valueOf(parts[0]);
      return scope == RegistryChange.Scope.DEVICE
          ? RegistryChange.device(parts[1], parts[2])
          : new RegistryChange(scope, null, null);
    } catch (RuntimeException e) {
      return RegistryChange.ALL;
    }
  }
}
