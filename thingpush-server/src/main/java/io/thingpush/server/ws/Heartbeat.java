package io.thingpush.server.ws;

import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pings every WebSocket connection once per interval and closes one that answered none of the
 * last {@code misses} pings (SPEC: 10 s and 5). Each event loop has one timer that sweeps a
 * {@link PingWheel} of its connections, instead of a timer per connection: a connection's pings
 * keep the phase it joined at, to within a hundredth of the interval. A hundred slots keep each
 * sweep short (a hundredth of the loop's connections), so that the pushes queued behind it wait
 * little.
 */
final class Heartbeat {
  private static final int SLOTS = 100;

  private final long intervalMillis;
  private final int misses;
  private final Map<EventExecutor, PingWheel<ClientFrames>> wheels = new ConcurrentHashMap<>();

  Heartbeat(long intervalMillis, int misses) {
    this.intervalMillis = intervalMillis;
    this.misses = misses;
  }

  /** Starts pinging a connection of {@code loop}, from its loop; returns what {@link #leave} takes. */
  int join(ClientFrames connection, EventExecutor loop) {
    return wheels.computeIfAbsent(loop, this::start).join(connection);
  }

  /** Stops pinging a connection that {@link #join} returned {@code slot} for, from its loop. */
  void leave(ClientFrames connection, EventExecutor loop, int slot) {
    wheels.get(loop).leave(connection, slot);
  }

  private PingWheel<ClientFrames> start(EventExecutor loop) {
    PingWheel<ClientFrames> wheel = new PingWheel<>(SLOTS);
    long turnNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis) / SLOTS;
    loop.scheduleAtFixedRate(
        () -> wheel.sweep(connection -> connection.ping(misses)),
        turnNanos,
        turnNanos,
        TimeUnit.NANOSECONDS);
    return wheel;
  }
}
