package io.thingpush.core.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Registry changes on one node (embedded mode): an announcement runs the hooks at once. */
public final class LocalRegistryChanges implements RegistryChanges {
  private final List<Consumer<RegistryChange>> hooks = new CopyOnWriteArrayList<>();

  @Override
  public void announce(RegistryChange change) {
    hooks.forEach(hook -> hook.accept(change));
  }

  @Override
  public void onChange(Consumer<RegistryChange> hook) {
    hooks.add(hook);
  }
}
