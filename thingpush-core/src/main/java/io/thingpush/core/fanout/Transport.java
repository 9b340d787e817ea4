package io.thingpush.core.fanout;

import io.thingpush.protocol.CloseCode;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One client connection as the core sees it. Every method except {@link #executor()} must be
 * called on that executor: it owns the connection, so its state needs no locks.
 */
public interface Transport {
  /** The single thread that owns this connection. */
  ScheduledExecutorService executor();

  /** Whether a write now would be buffered without growing the backlog past its mark. */
  boolean isWritable();

  /** Queues one encoded text frame; nothing is sent before {@link #flush()}. */
  void write(byte[] frame);

  void flush();

  /** Sends a close frame with {@code code} and a short ASCII {@code reason}, then closes. */
  void close(CloseCode code, String reason);
}
