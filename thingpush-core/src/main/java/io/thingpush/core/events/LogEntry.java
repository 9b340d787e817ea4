package io.thingpush.core.events;

import io.thingpush.core.cluster.RegistryChange;

/**
 * One position of the event log as its tail hands it on: an event, a registry change announced
 * there (so every node applies it between the same two events), or a position whose event this
 * node's connections do not watch (it still moves the feed on).
 */
public record LogEntry(long seq, Event event, RegistryChange change) {
  public static LogEntry of(Event event) {
    return new LogEntry(event.seq(), event, null);
  }

  public static LogEntry change(long seq, RegistryChange change) {
    return new LogEntry(seq, null, change);
  }

  public static LogEntry unwatched(long seq) {
    return new LogEntry(seq, null, null);
  }
}
