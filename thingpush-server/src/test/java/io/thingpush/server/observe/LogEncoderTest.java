package io.thingpush.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogEncoderTest {
  private final LoggerContext context = new LoggerContext();
  private final LogEncoder encoder = new LogEncoder();
  private LoggingEvent event;

  @BeforeEach
  void setUp() {
    encoder.setContext(context);
    encoder.start();
    Logger logger = context.getLogger("io.thingpush.core.session.Session");
    event =
        new LoggingEvent(
            "fqcn",
            logger,
            Level.INFO,
            "connectID={} opened: user={}",
            null,
            new Object[] {"29", "alice"});
    event.setTimeStamp(Instant.parse("2026-12-01T09:30:00.123Z").toEpochMilli());
    event.setThreadName("loop-1");
    event.setMDCPropertyMap(Map.of());
    event.setKeyValuePairs(
        List.of(
            new KeyValuePair("connectID", "29"),
            new KeyValuePair("Traceparent", "5a21080b0d1d20a372cb9a1c61e19321")));
  }

  @Test
  void aTextLineStartsWithTheDateAndTime() {
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line)
        .isEqualTo(
            "2026-12-01T09:30:00.123Z INFO  [loop-1] i.t.c.s.Session - connectID=29 opened: user=alice\n");
  }

  @Test
  void aJsonLineIsOneObjectWithTheConnectionsFields() {
    encoder.setFormat("json");
    event.setThrowableProxy(
        new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("boom")));

    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n").doesNotContain("\n\t").hasLineCount(1);
    JsonNode json = Json.parseOrNull(line);
    assertThat(json.path("time").asText()).isEqualTo("2026-12-01T09:30:00.123Z");
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("logger").asText()).isEqualTo("io.thingpush.core.session.Session");
    assertThat(json.path("thread").asText()).isEqualTo("loop-1");
    assertThat(json.path("message").asText()).isEqualTo("connectID=29 opened: user=alice");
    assertThat(json.path("connectID").asText()).isEqualTo("29");
    assertThat(json.path("Traceparent").asText()).isEqualTo("5a21080b0d1d20a372cb9a1c61e19321");
    assertThat(json.path("error").asText()).startsWith("java.lang.IllegalStateException: boom");
  }
}
