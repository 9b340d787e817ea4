package io.thingpush.server.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.thingpush.server.config.ThingPushConfig;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.*} of the config to the logging the process started with (logback.xml reads
 * the same options from {@code THINGPUSH_LOG_FORMAT} and {@code THINGPUSH_LOG_LEVEL}, so the lines
 * before the config is read follow the environment).
 */
public final class Logs {
  private Logs() {}

  public static void apply(ThingPushConfig.Log log) {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(log.level()));
    for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it =
            root.iteratorForAppenders();
        it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<?> appender
          && appender.getEncoder() instanceof LogEncoder encoder) {
        encoder.setFormat(log.format());
      }
    }
  }
}
