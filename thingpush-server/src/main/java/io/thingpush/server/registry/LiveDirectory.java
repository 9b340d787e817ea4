package io.thingpush.server.registry;

import io.thingpush.core.cluster.RegistryChange;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's in-memory directory, kept in step with the registry database: {@link #apply}
 * reads again what a change touched (the whole registry, all but the devices, or one device)
 * and hands the new directory to the node's installer, which swaps it in ({@link #swapIn})
 * between two events and re-checks every subscription. Changes apply one at a time; full
 * reloads asked for while one runs are served by the next single one.
 */
public final class LiveDirectory implements Supplier<Directory> {
  private static final Logger LOG = LoggerFactory.getLogger(LiveDirectory.class);

  private final Registry registry;
  private volatile Directory current;
  private volatile Consumer<Directory> install = this::swapIn;
  private final AtomicLong requested = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private long reloaded; // guarded by lock: the last full-reload request served

  /** The directory as the registry holds it now. */
  public LiveDirectory(Registry registry) {
    this.registry = registry;
    this.current = registry.load();
  }

  /** The node's directory now. */
  @Override
  public Directory get() {
    return current;
  }

  /** Makes {@code next} the node's directory; the installer calls it at the right moment. */
  public void swapIn(Directory next) {
    current = next;
  }

  /** How a new directory becomes the node's (by default: swapped in at once). */
  public void installWith(Consumer<Directory> installer) {
    this.install = installer;
  }

  /**
   * The registry changed (here or on another node): returns once a directory read after this
   * call is in force.
   *
   * @throws RegistryException when the database cannot be read; the current directory stays
   */
  public void apply(RegistryChange change) {
    long ticket = change.scope() == RegistryChange.Scope.ALL ? requested.incrementAndGet() : 0;
    lock.lock();
    try {
      long started = System.nanoTime();
      Directory next;
      switch (change.scope()) {
        case ALL -> {
          if (reloaded >= ticket) {
            return; // a reload that began after this request is already in force
          }
          long upTo = requested.get();
          next = registry.load();
          reloaded = upTo;
        }
        case ALL_BUT_DEVICES -> next = registry.loadAround(current.deviceTable());
        default -> {
          Directory now = current;
          Device device = registry.loadDevice(change.productId(), change.deviceName());
          next =
              now.withDevices(
                  device == null
                      ? now.deviceTable().without(change.productId(), change.deviceName())
                      : now.deviceTable().with(device));
        }
      }
      install.accept(next);
      LOG.info(
          "registry change {} applied in {} ms",
          change.scope(),
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      lock.unlock();
    }
  }
}
