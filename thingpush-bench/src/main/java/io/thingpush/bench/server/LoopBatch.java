package io.thingpush.bench.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The frames waiting for one event loop of the baseline, as ThingPush batches events per
 * connection thread: a post into an idle batch schedules one task, which writes what waits (at
 * most {@value #MAX_BATCH} frames, ThingPush's batch) and then flushes each touched channel once.
 */
final class LoopBatch implements Runnable {
  private static final int MAX_BATCH = 64;

  /** A frame for every channel of the loop ({@code target} null), or for one. */
  private record Post(ByteBuf frame, Channel target) {}

  private final EventLoop loop;
  private final Channel[] channels;
  private final Queue<Post> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final List<Channel> touched = new ArrayList<>();

  LoopBatch(EventLoop loop, Channel[] channels) {
    this.loop = loop;
    this.channels = channels;
  }

  /** Takes over {@code frame} (one reference) for {@code target}, or for every channel when null. */
  void post(ByteBuf frame, Channel target) {
    queue.add(new Post(frame, target));
    if (scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled.set(false);
    boolean all = false;
    Post post;
    for (int n = 0; n < MAX_BATCH && (post = queue.poll()) != null; n++) {
      if (post.target() == null) {
        for (Channel c : channels) {
          c.write(post.frame().retainedDuplicate(), c.voidPromise());
        }
        post.frame().release();
        all = true;
      } else {
        post.target().write(post.frame(), post.target().voidPromise());
        touched.add(post.target());
      }
    }
    if (all) {
      for (Channel c : channels) {
        c.flush();
      }
    } else {
      for (Channel c : touched) {
        c.flush();
      }
    }
    touched.clear();
    if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
      loop.execute(this);
    }
  }
}
