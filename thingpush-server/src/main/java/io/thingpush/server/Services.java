package io.thingpush.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a node that listen or connect (HTTP, WebSocket, MQTT endpoint or bridge, the
 * NATS publish endpoint, the demo's devices), started in order and stopped in reverse order:
 * the sources of events stop before the WebSocket endpoint that drains what they sent.
 */
final class Services implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  private record Started(String name, AutoCloseable service) {}

  private final Deque<Started> started = new ArrayDeque<>();

  /** Starts one service; when it fails, the ones started before it are stopped and the failure thrown. */
  <T extends AutoCloseable> T start(String name, Supplier<T> start) {
    T service;
    try {
      service = start.get();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    started.push(new Started(name, service));
    return service;
  }

  /** Stops every started service, the last started first. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      Started s = started.pop();
      try {
        s.service().close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", s.name(), e);
      }
    }
  }
}
