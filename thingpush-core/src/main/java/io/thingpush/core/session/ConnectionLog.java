package io.thingpush.core.session;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A log line about one connection: its connectID and Traceparent ride along as key-value pairs,
 * fields of their own in the JSON log format; the text format has them at the front of the
 * message, where every connection line puts them.
 */
public final class ConnectionLog {
  private ConnectionLog() {}

  /** A line of {@code level} on {@code log} about the connection {@code connectId}. */
  public static LoggingEventBuilder at(
      Logger log, Level level, String connectId, String traceparent) {
    return log.atLevel(level)
        .addKeyValue("connectID", connectId)
        .addKeyValue("Traceparent", traceparent);
  }
}
