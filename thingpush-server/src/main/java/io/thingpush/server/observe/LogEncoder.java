package io.thingpush.server.observe;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * The server's log lines ({@code log.format}): {@code text}, one line with the date and time, or
 * {@code json}, one JSON object per line for log shippers, whose key-value pairs (a connection's
 * connectID and Traceparent) and MDC entries are fields of their own.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level [%thread] %logger{20} - %msg%n";

  private final PatternLayout text = new PatternLayout();
  private volatile boolean json;

  /** {@code text} or {@code json}; anything else is text (the config refuses it before it gets here). */
  public void setFormat(String format) {
    json = "json".equals(format);
  }

  @Override
  public void start() {
    text.setContext(getContext());
    text.setPattern(TEXT_PATTERN);
    text.start();
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return (json ? jsonLine(event) : text.doLayout(event)).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  static String jsonLine(ILoggingEvent event) {
    ObjectNode line =
        Json.object()
            .put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString())
            .put("level", event.getLevel().toString())
            .put("logger", event.getLoggerName())
            .put("thread", event.getThreadName())
            .put("message", event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        line.put(pair.key, String.valueOf(pair.value));
      }
    }
    for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
      line.put(entry.getKey(), entry.getValue());
    }
    if (event.getThrowableProxy() != null) {
      line.put("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    return Json.text(line) + "\n";
  }
}
