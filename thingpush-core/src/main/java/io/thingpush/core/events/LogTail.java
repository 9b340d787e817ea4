package io.thingpush.core.events;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A running tail of the event log (see {@link EventLog#tail}): reads back what it may have missed, and stops. */
public interface LogTail extends AutoCloseable {
  /**
   * The entries of the log with a seq in ({@code afterSeq}, {@code upToSeq}], oldest first, as
   * this tail hands them on; what history no longer holds is simply absent.
   */
  CompletionStage<List<LogEntry>> read(long afterSeq, long upToSeq);

  /** Stops handing entries on. */
  @Override
  void close();
}
