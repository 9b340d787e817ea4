package io.thingpush.core.fanout;

import io.thingpush.core.events.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The events waiting for one connection thread. The hub posts; the thread takes what is there
 * in one task, writes each event to its recipients, then flushes each touched connection once.
 * Only a post into an idle mailbox schedules a task, so a busy thread takes events in batches
 * rather than waking up once per event.
 */
final class Mailbox implements Runnable {
  /** Deliveries per task at most, so that a steady stream still gets flushed. */
  private static final int MAX_BATCH = 64;

  private record Delivery(Event event, List<Recipient> recipients) {}

  private final Executor thread;
  private final Queue<Delivery> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  Mailbox(Executor thread) {
    this.thread = thread;
  }

  /** Hands {@code event} to {@code recipients}, all owned by this mailbox's thread, in post order. */
  void post(Event event, List<Recipient> recipients) {
    queue.add(new Delivery(event, recipients));
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        thread.execute(this);
      } catch (RejectedExecutionException shuttingDown) {
        // The thread is stopping and its connections with it.
      }
    }
  }

  @Override
  public void run() {
    scheduled.set(false);
    List<List<Recipient>> touched = new ArrayList<>();
    Delivery delivery;
    while (touched.size() < MAX_BATCH && (delivery = queue.poll()) != null) {
      List<Recipient> recipients = delivery.recipients();
      int written = 0;
      for (int i = 0; i < recipients.size(); i++) {
        if (recipients.get(i).offerLive(delivery.event())) {
          written++;
        }
      }
      // Counted once for the event's connections of this thread, not once per connection.
      if (written > 0) {
        recipients.get(0).countLive(delivery.event(), written);
      }
      touched.add(recipients);
    }
    // A recipient touched by several events is flushed once: flush() does nothing when clean.
    for (List<Recipient> recipients : touched) {
      for (Recipient r : recipients) {
        r.flush();
      }
    }
    if (!queue.isEmpty()) {
      schedule();
    }
  }
}
