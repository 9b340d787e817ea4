package io.thingpush.client.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.ThingPushClientException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last {@code capacity} frames a connection received after its first, in order, with
 * blocking waits on them. Pushes ({@code down.pub}) also form a queue that {@link #awaitPush}
 * takes from in order. When full, the oldest entries are dropped: a connection that runs for
 * days holds a bounded amount. Pure: no I/O; thread-safe.
 */
public final class Inbox {
  private final int capacity;
  private final Deque<JsonNode> frames = new ArrayDeque<>();
  private final Deque<JsonNode> pushes = new ArrayDeque<>();
  private final Deque<JsonNode> untakenPushes = new ArrayDeque<>();

  /** Frames ever added: lets a wait tell new frames from those it already scanned. */
  private long added;

  private String closedBecause;

  public Inbox(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + capacity);
    }
    this.capacity = capacity;
  }

  public synchronized void add(JsonNode frame, boolean push) {
    added++;
    append(frames, frame);
    if (push) {
      append(pushes, frame);
      append(untakenPushes, frame);
    }
    notifyAll();
  }

  /** No frame will come any more; waits end at once with {@code because} in their error. */
  public synchronized void close(String because) {
    closedBecause = because;
    notifyAll();
  }

  public synchronized List<JsonNode> frames() {
    return List.copyOf(frames);
  }

  public synchronized List<JsonNode> pushes() {
    return List.copyOf(pushes);
  }

  /** The oldest push not yet taken, waiting up to {@code timeout} for one. */
  public synchronized JsonNode awaitPush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (untakenPushes.isEmpty()) {
      waitUntil(deadline, "no push");
    }
    return untakenPushes.removeFirst();
  }

  /** The first frame held (received before or during the wait) that {@code match} accepts. */
  public synchronized JsonNode awaitFrame(Predicate<JsonNode> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long scannedUpTo = added - frames.size();
    while (true) {
      long index = added - frames.size();
      for (JsonNode frame : frames) {
        if (index++ >= scannedUpTo && match.test(frame)) {
          return frame;
        }
      }
      scannedUpTo = added;
      waitUntil(deadline, "no matching frame");
    }
  }

  private void append(Deque<JsonNode> deque, JsonNode frame) {
    if (capacity == 0) {
      return;
    }
    if (deque.size() == capacity) {
      deque.removeFirst();
    }
    deque.addLast(frame);
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
