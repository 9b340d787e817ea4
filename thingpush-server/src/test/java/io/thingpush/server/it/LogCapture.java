package io.thingpush.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Collects what the server logs while open (tests run one at a time in one JVM). */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level before;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  /** Everything at {@code level} or above logged by {@code loggerName} and below it. */
  public LogCapture(String loggerName, Level level) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    before = logger.getLevel();
    logger.setLevel(level);
    appender.start();
    logger.addAppender(appender);
  }

  /** Warnings and errors of the whole server. */
  public LogCapture() {
    this(Logger.ROOT_LOGGER_NAME, Level.WARN);
  }

  /** The lines logged at {@code level}, as "LEVEL logger - message [exception]". */
  public List<String> at(Level level) {
    return events().stream()
        .filter(e -> e.getLevel() == level)
        .map(
            e ->
                e.getLevel()
                    + " "
                    + e.getLoggerName()
                    + " - "
                    + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : " ["
                            + e.getThrowableProxy().getClassName()
                            + ": "
                            + e.getThrowableProxy().getMessage()
                            + "]"))
        .toList();
  }

  /** The names of the threads that logged a message starting with {@code start}. */
  public Set<String> threadsLogging(String start) {
    return events().stream()
        .filter(e -> e.getFormattedMessage().startsWith(start))
        .map(ILoggingEvent::getThreadName)
        .collect(Collectors.toSet());
  }

  List<ILoggingEvent> events() {
    // AppenderBase appends under the appender's lock
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(before);
  }
}
