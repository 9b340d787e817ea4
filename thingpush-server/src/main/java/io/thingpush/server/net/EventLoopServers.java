package io.thingpush.server.net;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One Vert.x server of a port on each event loop: Vert.x binds the port once and hands the
 * connections it accepts to the servers in turn. A connection stays on the loop of the server
 * that took it, so its requests are handled one after the other, while the connections of the
 * other loops run on the other cores. A server made outside Vert.x would instead be bound to the
 * one loop that created it, and a busy port would use a single core.
 *
 * <p>Each server is listened from an instance of one deployment, on a context of its own loop;
 * closing undeploys them, which closes the servers.
 *
 * @param <S> the server: an HTTP server, an MQTT server…
 */
public final class EventLoopServers<S> implements AutoCloseable {
  /**
   * The next negative port to hand out. Vert.x shares one free port among the servers listening
   * on the same negative port, of whatever kind (an HTTP and an MQTT server on -1 would take each
   * other's connections), where port 0 would give each server a port of its own.
   */
  private static final AtomicInteger NEXT_SHARED_ANY_PORT = new AtomicInteger(-1);

  private final Vertx vertx;
  private final String deployment;
  private final List<S> servers;

  private EventLoopServers(Vertx vertx, String deployment, List<S> servers) {
    this.vertx = vertx;
    this.deployment = deployment;
    this.servers = servers;
  }

  /**
   * The servers {@code listen} makes, one per event loop of a {@link NativeTransport#vertx()} for
   * {@code count} {@link NativeTransport#eventLoops()}, all listening once this returns; {@code
   * listen} creates a server and listens on the port (the one {@link #shared} gave, for port 0)
   * and is called on each of {@code count} loops.
   *
   * @throws RuntimeException or a checked exception, as {@code await} rethrows it: the first
   *     server's failure to listen, with the servers already listening closed
   */
  public static <S> EventLoopServers<S> listen(Vertx vertx, int count, Supplier<Future<S>> listen) {
    List<S> servers = new CopyOnWriteArrayList<>();
    Supplier<Deployable> instance = () -> (Context context) -> listen.get().onSuccess(servers::add);
    String deployment =
        vertx.deployVerticle(instance, new DeploymentOptions().setInstances(count)).await();
    return new EventLoopServers<>(vertx, deployment, List.copyOf(servers));
  }

  /**
   * {@code port}, or for 0 (any free port) a negative port of its own: the one port to give
   * every server of one {@link #listen} for a free port they share.
   */
  public static int shared(int port) {
    return port == 0 ? NEXT_SHARED_ANY_PORT.getAndDecrement() : port;
  }

  /** The servers, one per loop. */
  public List<S> servers() {
    return servers;
  }

  @Override
  public void close() {
    vertx.undeploy(deployment).await();
  }
}
