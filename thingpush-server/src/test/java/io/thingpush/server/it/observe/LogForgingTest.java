package io.thingpush.server.it.observe;

import static io.thingpush.server.it.ws.ConnectTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.SignedJWT;
import io.thingpush.server.it.MqttDevice;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No client can forge a log line: what it sends (a token's kid, app-code, user id, MQTT client
 * id, username, topic) reaches the log escaped, a newline in it as {@code \n}. The log lines are
 * captured from the server's own loggers while real clients connect.
 */
class LogForgingTest {
  /** What a forger appends to a value: a newline, then a line that looks like the server's. */
  private static final String FORGED = "\n12:00:00.000 INFO  [main] i.t.s.ThingPushServer - FORGED";

  private static final KeyPair RSA = rsa();
  private static Path pem;
  private static TestServer server;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Map<Logger, Level> levels = new java.util.HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    pem = Files.createTempFile("thingpush-log-forging", ".pem");
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(RSA.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    server =
        TestServer.start(
            c ->
                c.get("auth")
                    .put("publicKeys", List.of(Map.of("kid", "rsa-1", "file", pem.toString()))));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    Files.deleteIfExists(pem);
  }

  @BeforeEach
  void capture() {
    for (String name : List.of("io.thingpush", "io.thingpush.server.mqtt")) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.put(logger, logger.getLevel());
      logger.setLevel(Level.INFO);
    }
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
  }

  @AfterEach
  void release() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    levels.forEach(Logger::setLevel);
    server.closeClients();
  }

  @Test
  void theKidOfAnUnverifiedTokenIsEscaped() throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-9" + FORGED).build(),
            server.token("alice").claims());
    jwt.sign(new RSASSASigner(RSA.getPrivate()));

    assertRefused(server.connect(server.options().token(jwt.serialize()).build()), 100005, 4001);

    assertEscaped("unknown key");
  }

  @Test
  void theAppCodeAndUserIdOfAConnectionAreEscaped() {
    String token = server.token("alice" + FORGED).sign();

    server.accepted(
        server.connect(server.options().token(token).appCode("it-app" + FORGED).build()));

    assertEscaped("opened");
    assertThat(lineWith("opened"))
        .contains("user=\"alice\\n12:00:00.000")
        .contains("app=\"it-app\\n12:00:00.000");
  }

  @Test
  void theMqttUsernameAndClientIdOfARefusedLoginAreEscaped() {
    var device =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("client" + FORGED)
            .serverHost("127.0.0.1")
            .serverPort(server.mqttPort())
            .buildBlocking();

    assertThatThrownBy(
            () ->
                device
                    .connectWith()
                    .simpleAuth()
                    .username("prodA&d2" + FORGED)
                    .password("s".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .send())
        .isInstanceOf(Mqtt5ConnAckException.class);

    assertEscaped("device login refused");
    assertThat(lineWith("device login refused"))
        .contains("username=\"prodA&d2\\n")
        .contains("client=\"client\\n");
  }

  @Test
  void theTopicOfARefusedPublishIsEscaped() throws Exception {
    try (MqttDevice d2 = MqttDevice.online(server.mqttPort(), "prodA", "d2", "s")) {
      assertThat(d2.publish("$thing/up/property/prodA/d3" + FORGED, "{}"))
          .isEqualTo("NOT_AUTHORIZED");
    }

    assertEscaped("device publish refused");
  }

  /** Some captured line holds {@code about} and the forged text, escaped; none holds a line break. */
  private void assertEscaped(String about) {
    assertThat(lineWith(about)).as("the value was logged").contains("\\n12:00:00.000 INFO  [main]");
    for (String line : lines()) {
      assertThat(line).as("a log line").doesNotContain("\n").doesNotContain("\r");
    }
  }

  /** The line about {@code about} with the forged value, once the server has written it. */
  private String lineWith(String about) {
    Waits.await().until(() -> line(about) != null);
    return line(about);
  }

  private String line(String about) {
    return lines().stream()
        .filter(m -> m.contains(about) && m.contains("FORGED"))
        .findFirst()
        .orElse(null);
  }

  /** The lines captured so far (the appender adds under its own lock, from the server's threads). */
  private List<String> lines() {
    synchronized (log) {
      return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
