package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every frame a connection received after its first, in order, with blocking waits on them.
 * Pushes ({@code down.pub}) also form a queue that {@link #awaitPush} takes from in order.
 * Pure: no I/O; thread-safe.
 */
final class Inbox {
  private final List<JsonNode> frames = new ArrayList<>();
  private final List<JsonNode> pushes = new ArrayList<>();
  private int pushesTaken;
  private String closedBecause;

  synchronized void add(JsonNode frame, boolean push) {
    frames.add(frame);
    if (push) {
      pushes.add(frame);
    }
    notifyAll();
  }

  /** No frame will come any more; waits end at once with {@code because} in their error. */
  synchronized void close(String because) {
    closedBecause = because;
    notifyAll();
  }

  synchronized List<JsonNode> frames() {
    return List.copyOf(frames);
  }

  synchronized List<JsonNode> pushes() {
    return List.copyOf(pushes);
  }

  /** The next push not yet taken, waiting up to {@code timeout} for it. */
  synchronized JsonNode awaitPush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pushesTaken >= pushes.size()) {
      waitUntil(deadline, "no push");
    }
    return pushes.get(pushesTaken++);
  }

  /** The first frame received (before or during the wait) that {@code match} accepts. */
  synchronized JsonNode awaitFrame(Predicate<JsonNode> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int scanned = 0;
    while (true) {
      for (; scanned < frames.size(); scanned++) {
        if (match.test(frames.get(scanned))) {
          return frames.get(scanned);
        }
      }
      waitUntil(deadline, "no matching frame");
    }
  }

  private void waitUntil(long deadline, String what) {
    if (closedBecause != null) {
      throw new ThingPushClientException(what + ": connection closed (" + closedBecause + ")");
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new ThingPushClientException(what + " within the time allowed");
    }
    try {
      wait(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ThingPushClientException("interrupted while waiting: " + what, e);
    }
  }
}
