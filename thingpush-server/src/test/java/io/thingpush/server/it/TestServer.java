package io.thingpush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.testkit.TestConnections;
import io.thingpush.protocol.Json;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real server on random local ports with the registry of {@code it/registry.json}, plus
 * what tests need around it: tokens, connections (closed by {@link #closeClients()}) and the
 * platform publish API. Started by hand ({@link #start()}, closed by the test), or as a JUnit
 * extension that starts and stops it around a class ({@link #forClass()}) or each test
 * ({@link #forEachTest()}).
 */
public final class TestServer
    implements AutoCloseable,
        BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterAllCallback {
  /** The bound of every wait in these tests. */
  public static final Duration WAIT = Duration.ofSeconds(5);

  public static final String SECRET = "thingpush-it-hs256-secret-0123456789-abcdef";
  public static final String PLATFORM_KEY = "platform-key-1";
  public static final String ACME_KEY = "acme-key";
  public static final String APP = "it-app";

  /** The user of tenant default listed in auth.platformAdmins. */
  public static final String PLATFORM_ADMIN = "platform-ops";

  public static final String PUBLISH_PATH = "/api/v1/push/publish";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

  private final Consumer<Map<String, Map<String, Object>>> tweak;
  private final boolean onPostgres;
  private final Scope scope;
  private final Tokens tokens = new Tokens(SECRET);
  private final List<AutoCloseable> clients = new CopyOnWriteArrayList<>();
  private final MovableClock clock = new MovableClock();

  // set when the node starts
  private Map<String, Map<String, Object>> config;
  private volatile ThingPushServer server;
  private Path fixture;
  private AutoCloseable database = () -> {};
  private boolean shutDown;

  /** How long a server registered as a JUnit extension lives. */
  private enum Scope {
    STARTED_BY_HAND,
    CLASS,
    TEST
  }

  private TestServer(
      Consumer<Map<String, Map<String, Object>>> tweak, boolean onPostgres, Scope scope) {
    this.tweak = tweak;
    this.onPostgres = onPostgres;
    this.scope = scope;
  }

  private TestServer startNode() {
    fixture = copyFixture();
    config = defaultConfig(fixture);
    if (onPostgres) {
      PostgresSchema schema = new PostgresSchema();
      database = schema;
      config
          .get("registry")
          .putAll(
              section(
                  "jdbcUrl",
                  schema.jdbcUrl(),
                  "username",
                  PostgresSchema.USER,
                  "password",
                  PostgresSchema.PASSWORD));
    }
    try {
      tweak.accept(config);
      server = ThingPushServer.start(parse(config), clock);
      return this;
    } catch (RuntimeException e) {
      try {
        database.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static ThingPushConfig parse(Map<String, Map<String, Object>> config) {
    // JSON is YAML: the config is written as one JSON object.
    return ThingPushConfig.parse(Json.text(config), Map.of());
  }

  /**
   * Stops the node (clients get 4009), waits {@code down}, and starts it again on the same
   * ports with the same registry; the in-memory history starts afresh, as after a real restart.
   */
  public synchronized void restart(Duration down) {
    int wsPort = server.wsPort();
    int httpPort = server.httpPort();
    int managementPort = server.managementPort();
    server.close();
    try {
      Thread.sleep(down.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    config.get("ws").put("port", wsPort);
    config.get("http").put("port", httpPort);
    config.get("management").put("port", managementPort);
    server = ThingPushServer.start(parse(config), clock);
  }

  /** A server with the default test config. */
  public static TestServer start() {
    return start(config -> {});
  }

  /**
   * A server whose config is the default test config changed by {@code tweak}: a map of
   * section ({@code ws}, {@code limits}…) to a map of key to value.
   */
  public static TestServer start(Consumer<Map<String, Map<String, Object>>> tweak) {
    return new TestServer(tweak, false, Scope.STARTED_BY_HAND).startNode();
  }

  /** A server whose registry is a fresh schema of the real PostgreSQL, dropped on close. */
  public static TestServer startOnPostgres() {
    return startOnPostgres(config -> {});
  }

  public static TestServer startOnPostgres(Consumer<Map<String, Map<String, Object>>> tweak) {
    return new TestServer(tweak, true, Scope.STARTED_BY_HAND).startNode();
  }

  /**
   * One server for all the tests of a class, as a {@code static} {@link RegisterExtension} field:
   * started before the first test, its clients closed after each test, stopped after the last.
   * {@code tweak} runs when the server starts, before any {@code @BeforeAll} method of the class.
   */
  public static TestServer forClass(Consumer<Map<String, Map<String, Object>>> tweak) {
    return new TestServer(tweak, false, Scope.CLASS);
  }

  public static TestServer forClass() {
    return forClass(config -> {});
  }

  public static TestServer forClassOnPostgres() {
    return new TestServer(config -> {}, true, Scope.CLASS);
  }

  /**
   * A fresh server for each test, as a {@link RegisterExtension} instance field: started before
   * the test's {@code @BeforeEach} methods, stopped after its {@code @AfterEach} methods.
   */
  public static TestServer forEachTest(Consumer<Map<String, Map<String, Object>>> tweak) {
    return new TestServer(tweak, false, Scope.TEST);
  }

  public static TestServer forEachTest() {
    return forEachTest(config -> {});
  }

  public static TestServer forEachTestOnPostgres() {
    return new TestServer(config -> {}, true, Scope.TEST);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (scope != Scope.CLASS) {
      throw new IllegalStateException(
          "a server for each test is an instance field, not a static one");
    }
    startNode();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (scope == Scope.TEST) {
      startNode();
    } else if (server == null) {
      throw new IllegalStateException(
          "a server for the class is a static field, not an instance one");
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (scope == Scope.TEST) {
      close();
    } else {
      closeClients();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** The {@code registry} section of the config: where another "node" finds the same database. */
  public Map<String, Object> registryConfig() {
    return config.get("registry");
  }

  private static Map<String, Map<String, Object>> defaultConfig(Path fixture) {
    Map<String, Map<String, Object>> c = new LinkedHashMap<>();
    c.put(
        "ws",
        section(
            "host",
            "127.0.0.1",
            "port",
            0,
            "pingIntervalMs",
            10000,
            "pingMisses",
            5,
            "maxMessageBytes",
            65536));
    c.put("http", section("host", "127.0.0.1", "port", 0));
    c.put("management", section("host", "127.0.0.1", "port", 0));
    c.put("mqtt", section("host", "127.0.0.1", "port", 0, "actionTimeoutMs", 2000));
    c.put(
        "auth",
        section(
            "hs256Secret",
            SECRET,
            "platformAdmins",
            List.of(Map.of("tenant", "default", "userID", PLATFORM_ADMIN))));
    c.put(
        "publish",
        section(
            "keys",
            List.of(Map.of("key", PLATFORM_KEY), Map.of("key", ACME_KEY, "tenant", "acme"))));
    c.put(
        "registry",
        section(
            "jdbcUrl",
            "jdbc:h2:mem:it-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "importFile",
            fixture.toString()));
    c.put(
        "limits",
        section(
            "subscriptionsPerConnection",
            200,
            "connectionsPerUser",
            100,
            "connectionsPerTenant",
            10000,
            "messagesPerSecond",
            50,
            "messageBurst",
            100,
            "excessCloseMs",
            10000));
    return c;
  }

  private static Map<String, Object> section(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static Path copyFixture() {
    try (InputStream in = TestServer.class.getResourceAsStream("/it/registry.json")) {
      Path file = Files.createTempFile("thingpush-it-registry", ".json");
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Imports a registry file given as text (docs/registry.md) and makes it live. */
  public void importRegistry(String json) {
    try {
      Path file = Files.createTempFile("thingpush-it-import", ".json");
      Files.writeString(file, json);
      try {
        server.importRegistry(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- addresses

  public URI wsBase() {
    return URI.create("ws://127.0.0.1:" + server.wsPort());
  }

  public int mqttPort() {
    return server.mqttPort();
  }

  public URI httpBase() {
    return URI.create("http://127.0.0.1:" + server.httpPort());
  }

  /** Metrics and health. */
  URI managementBase() {
    return URI.create("http://127.0.0.1:" + server.managementPort());
  }

  /** The WebSocket connect URI, for raw clients. */
  public URI connectUri(String query) {
    return URI.create(
        wsBase() + ConnectOptions.DEFAULT_PATH + (query.isEmpty() ? "" : "?" + query));
  }

  /** The node itself, for benchmarks that feed its dispatcher directly. */
  public ThingPushServer node() {
    return server;
  }

  /**
   * The clock the node decides by (token expiry, the message rate): the system's until a test
   * moves it forward, which runs what falls due instead of waiting for it.
   */
  public MovableClock clock() {
    return clock;
  }

  /** Imports a registry file on this node, as an operator would. */
  public void importRegistry(Path file) {
    server.importRegistry(file);
  }

  // ---- tokens

  public Tokens.Builder token(Object userID) {
    return tokens.of(userID);
  }

  /** An i-Things login token of a registry user (no tenant claim). */
  public Tokens.Builder login(String userID) {
    return tokens.login(userID);
  }

  /** A valid token of {@code userID} in tenant {@code default}. */
  public String tokenOf(Object userID) {
    return tokens.of(userID).sign();
  }

  // ---- connections

  /** Options with the test app-code and no token. */
  public ConnectOptions.Builder options() {
    return ConnectOptions.builder(wsBase()).appCode(APP);
  }

  /** Options with the test app-code and a fresh token of {@code userID}. */
  public ConnectOptions.Builder options(Object userID) {
    return options().token(tokenOf(userID));
  }

  /** Connects (accepted or refused: look at the first frame); closed by {@link #closeClients}. */
  public Connection connect(ConnectOptions options) {
    Connection c = join(TestConnections.connect(HTTP, options));
    clients.add(c);
    return c;
  }

  /** Connects as {@code userID} and asserts the connection was accepted. */
  public Connection connectAs(Object userID) {
    return accepted(connect(options(userID).build()));
  }

  public Connection accepted(Connection c) {
    assertThat(c.hello().path("code").asInt()).as("first frame %s", c.hello()).isEqualTo(200);
    return c;
  }

  public RawWebSocket raw(URI uri, Map<String, String> headers, boolean answerPings) {
    return raw(uri, headers, answerPings, false);
  }

  public RawWebSocket raw(
      URI uri, Map<String, String> headers, boolean answerPings, boolean deflate) {
    RawWebSocket raw = RawWebSocket.connect(uri, headers, answerPings, deflate);
    clients.add(raw);
    return raw;
  }

  /** A raw connection of {@code userID} that passed the connect checks (its first frame is read). */
  public RawWebSocket rawAs(String userID, boolean deflate) {
    RawWebSocket raw =
        raw(connectUri("app-code=" + APP + "&token=" + tokenOf(userID)), Map.of(), true, deflate);
    JsonNode hello = raw.awaitJson(WAIT);
    assertThat(hello.path("code").asInt()).as("first frame %s", hello).isEqualTo(200);
    return raw;
  }

  // ---- metrics

  /** The value of one sample of {@code /metrics}, e.g. {@code thingpush_closes_total{code="4008"}}; 0 when absent. */
  public double metric(String sample) {
    HttpResult r = get("/metrics");
    for (String line : r.body().split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1));
      }
    }
    return 0;
  }

  /** Closes every connection the tests opened through this server. */
  public void closeClients() {
    for (AutoCloseable c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        // already gone
      }
    }
    clients.clear();
  }

  // ---- publish API

  /** Publishes with the platform key and asserts 200; returns the event's seq. */
  public long publish(String code, String productID, String deviceName, String payloadJson) {
    return publishAs(PLATFORM_KEY, code, productID, deviceName, payloadJson);
  }

  public long publishAs(
      String key, String code, String productID, String deviceName, String payloadJson) {
    String body = publishBody(code, productID, deviceName, payloadJson);
    HttpResult r = post(PUBLISH_PATH, "Bearer " + key, body);
    assertThat(r.status()).as("publish %s -> %s", body, r).isEqualTo(200);
    assertThat(r.json().path("seq").isIntegralNumber()).as("seq in %s", r).isTrue();
    return r.json().get("seq").asLong();
  }

  /** A publish with publish key {@code key} and {@code Idempotency-Key: idempotencyKey}: the answer as it came. */
  public HttpResult publishOnce(String key, String idempotencyKey, String body) {
    return send(
        HttpRequest.newBuilder(httpBase().resolve(PUBLISH_PATH))
            .timeout(WAIT)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key)
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** The body of a platform publish (docs/publish-api.md), over HTTP or NATS. */
  public static String publishBody(
      String code, String productID, String deviceName, String payloadJson) {
    return "{\"code\":\""
        + code
        + "\",\"device\":{\"productID\":\""
        + productID
        + "\",\"deviceName\":\""
        + deviceName
        + "\"},\"payload\":"
        + payloadJson
        + "}";
  }

  /** A GET of {@code path} on the management port (metrics, health). */
  public HttpResult get(String path) {
    return send(HttpRequest.newBuilder(managementBase().resolve(path)).timeout(WAIT).GET().build());
  }

  /** A POST with {@code authorization} (null: no header) and a raw body. */
  public HttpResult post(String path, String authorization, String body) {
    return http("POST", path, authorization, body);
  }

  /** A request of {@code method} with {@code authorization} (null: none) and a JSON body (null: none). */
  public HttpResult http(String method, String path, String authorization, String body) {
    return http(
        method,
        path,
        authorization,
        "application/json",
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
  }

  /** A request with a body of any {@code contentType} (null: no Content-Type header). */
  public HttpResult http(
      String method,
      String path,
      String authorization,
      String contentType,
      HttpRequest.BodyPublisher body) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(httpBase().resolve(path)).timeout(WAIT).method(method, body);
    if (contentType != null) {
      req.header("Content-Type", contentType);
    }
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    return send(req.build());
  }

  /** Sends {@code request} and reads the whole answer, body included, within twice the request's timeout. */
  public static HttpResult send(HttpRequest request) {
    // A request's timeout ends with the response headers: a body that never ends would hang the
    // test.
    Duration limit = request.timeout().orElse(WAIT).multipliedBy(2);
    HttpResponse<String> r;
    try {
      r = join(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()), limit);
    } catch (AssertionError e) {
      throw new AssertionError(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
    }
    return new HttpResult(
        r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
  }

  public record HttpResult(int status, String body, String contentType) {
    public JsonNode json() {
      JsonNode node = Json.parseOrNull(body);
      assertThat(node).as("JSON body of %s", this).isNotNull();
      return node;
    }
  }

  public static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    return join(future, WAIT);
  }

  public static <T> T join(java.util.concurrent.CompletableFuture<T> future, Duration wait) {
    try {
      return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new AssertionError("no result within " + wait + ": " + e, e);
    }
  }

  /** Shuts the node down as an operator would (SIGTERM), leaving the clients to see it. */
  public void shutdown() {
    if (!shutDown && server != null) {
      shutDown = true;
      server.close();
    }
  }

  @Override
  public void close() {
    closeClients();
    shutdown();
    try {
      database.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot drop the test database", e);
    }
    try {
      if (fixture != null) {
        Files.deleteIfExists(fixture);
      }
    } catch (IOException e) {
      // a temp file; deleted on exit anyway
    }
  }
}
