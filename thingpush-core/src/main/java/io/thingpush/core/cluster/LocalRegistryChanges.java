package io.thingpush.core.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Registry changes on one node (embedded mode): an announcement runs the hooks at once. */
public final class LocalRegistryChanges implements RegistryChanges {
  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

  @Override
  public void announce() {
    hooks.forEach(Runnable::run);
  }

  @Override
  public void onChange(Runnable hook) {
    hooks.add(hook);
  }
}
