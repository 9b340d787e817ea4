package io.thingpush.core.events;

import java.util.List;
import java.util.function.LongFunction;

/** Where every event gets its {@code seq} and stays for a while as history (SPEC §7). */
public interface EventLog {
  /** Appends the event {@code withSeq} builds for the next seq, and returns it. */
  Event append(LongFunction<Event> withSeq);

  /** The held events with a seq greater than {@code afterSeq}, oldest first. */
  List<Event> after(long afterSeq);

  /** The seq of the oldest event still held, or the next seq to be assigned when none is. */
  long oldestSeq();
}
