package io.thingpush.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ThingPushClient;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Grant;
import io.thingpush.core.directory.Tenant;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.registry.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code token}, {@code config}, {@code import} and {@code export} commands. */
class CliTest {
  @TempDir Path dir;

  // ---- token

  @Test
  void tokenPrintsAnHs256JwtWithTheGivenClaims() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    Cli.Result r =
        Cli.run(
            "token",
            "--secret",
            Cli.SECRET,
            "--user",
            "u1",
            "--tenant",
            "t1",
            "--admin",
            "--app-code",
            "a,b",
            "--ttl",
            "PT5M");
    Instant after = Instant.now().plusSeconds(1);

    assertThat(r.exit()).as("%s", r).isZero();
    assertThat(r.out().lines().toList()).as("%s", r).hasSize(1);
    SignedJWT jwt = SignedJWT.parse(r.out().trim());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwt.verify(new MACVerifier(Cli.SECRET))).as("signed with the secret").isTrue();
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getClaim("tenantCode")).isEqualTo("t1");
    assertThat(claims.getClaim("userID")).isEqualTo("u1");
    assertThat(claims.getClaim("isAdmin")).isEqualTo(true);
    assertThat(claims.getStringListClaim("appCodes")).containsExactly("a", "b");
    assertThat(claims.getExpirationTime().toInstant())
        .isBetween(
            before.plus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            after.plus(Duration.ofMinutes(5)));
  }

  /** The server with the same secret accepts the tokens and applies their claims. */
  @Test
  void theServerAcceptsTheTokensWithTheirClaims() {
    try (ThingPushServer server = Cli.server(dir, Cli.SECRET)) {
      String t1 =
          token("--user", "u1", "--tenant", "t1", "--admin", "--app-code", "a,b", "--ttl", "PT5M");
      Connection ok = connect(server, t1, "a", "t1");
      assertThat(ok.accepted()).as("%s", ok.hello()).isTrue();
      ok.close();
      assertRefused(connect(server, t1, "c", "t1"), 100012, 4003); // app-code not in appCodes
      Connection ownTenant = connect(server, t1, "a", null); // no tenant-code: the token's tenant
      assertThat(ownTenant.accepted()).as("%s", ownTenant.hello()).isTrue();
      ownTenant.close();
      assertRefused(connect(server, t1, "a", "default"), 100012, 4003);

      String wile =
          token("--user", "wile", "--tenant", "acme", "--app-code", "a,b", "--ttl", "PT5M");
      Connection acme = connect(server, wile, "b", "acme");
      assertThat(acme.accepted()).as("%s", acme.hello()).isTrue();
      assertThat(subscribeProject(acme, "px")).as("wile reads px").isEqualTo(200);
      acme.close();

      Connection admin = connect(server, token("--user", "nobody", "--admin"), "any-app", null);
      assertThat(admin.accepted()).as("%s", admin.hello()).isTrue();
      assertThat(subscribeProject(admin, "p1"))
          .as("an admin reads every project of its tenant")
          .isEqualTo(200);
      admin.close();
      Connection plain = connect(server, token("--user", "nobody"), "any-app", null);
      assertThat(subscribeProject(plain, "p1")).as("without --admin").isEqualTo(100012);
      plain.close();
    }
  }

  @ParameterizedTest(name = "--ttl {0}")
  @CsvSource({"90s, 90", "30m, 1800", "1h, 3600", "2d, 172800", "PT1H, 3600"})
  void aTtlIsReadAsPeopleWriteItOrInIso8601(String ttl, long seconds) throws Exception {
    Cli.Result r = Cli.run("token", "--secret", Cli.SECRET, "--user", "u1", "--ttl", ttl);

    assertThat(r.exit()).as("%s", r).isZero();
    JWTClaimsSet claims = SignedJWT.parse(r.out().trim()).getJWTClaimsSet();
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
        .isEqualTo(seconds * 1000);
  }

  @Test
  void aBadTtlSaysWhichFormsWork() {
    Cli.Result r = Cli.run("token", "--secret", Cli.SECRET, "--user", "u1", "--ttl", "1 hour");

    assertThat(r.exit()).as("%s", r).isEqualTo(2);
    assertThat(r.err())
        .as("%s", r)
        .contains("'1 hour' is not a duration: use 90s, 30m, 1h, 2d or ISO-8601 (PT1H)")
        .doesNotContain("Exception");
  }

  @Test
  void tokenWithoutASecretExitsWith2AndSaysWhatIsMissing() {
    Assumptions.assumeTrue(
        System.getenv("THINGPUSH_AUTH_HS256_SECRET") == null, "no secret in the environment");
    Cli.Result r = Cli.run("token", "--user", "u1");

    assertThat(r.exit()).as("%s", r).isEqualTo(2);
    assertThat(r.out()).as("%s", r).isEmpty();
    assertThat(r.err()).as("%s", r).contains("--secret").contains("auth.hs256Secret");
  }

  // ---- watch

  @Test
  void watchSaysWhyItCannotConnectWithoutShowingTheToken() throws Exception {
    int closed;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Cli.Result r =
        Cli.run(
            "watch",
            "ws://127.0.0.1:"
                + closed
                + "/api/v1/system/common/websocket/connect?token=secret.jwt");

    assertThat(r.exit()).as("%s", r).isEqualTo(1);
    assertThat(r.err())
        .as("%s", r)
        .contains(
            "cannot connect to ws://127.0.0.1:"
                + closed
                + "/api/v1/system/common/websocket/connect: connection refused")
        .doesNotContain("secret.jwt");
  }

  @Test
  void watchSpeaksTheLanguageAskedFor() {
    try (ThingPushServer server = Cli.server(dir, Cli.SECRET)) {
      String url =
          "ws://127.0.0.1:"
              + server.wsPort()
              + "/api/v1/system/common/websocket/connect?token="
              + token("--user", "alice", "--tenant", "default");

      Cli.Result en = Cli.run("watch", "--lang", "en", "--seconds", "1", url);
      Cli.Result zh = Cli.run("watch", "--seconds", "1", url);

      assertThat(en.out().lines().findFirst().orElseThrow())
          .as("%s", en)
          .contains("\"msg\":\"success\"");
      assertThat(zh.out().lines().findFirst().orElseThrow())
          .as("%s", zh)
          .contains("\"msg\":\"成功\"");
    }
  }

  @Test
  void watchFiltersItsSubscriptions() throws Exception {
    try (ThingPushServer server = Cli.server(dir, Cli.SECRET)) {
      String url =
          "ws://127.0.0.1:"
              + server.wsPort()
              + "/api/v1/system/common/websocket/connect?token="
              + token("--user", "alice", "--tenant", "default");
      Cli.Running watch = new Cli.Running();
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<Integer> watching =
            thread.submit(
                () ->
                    watch.execute(
                        "watch",
                        "--seconds",
                        "30",
                        "--filter",
                        "status == 2",
                        "--sub",
                        "{\"code\":\"deviceConn\",\"params\":{\"projectID\":\"p1\"}}",
                        url));
        await().atMost(Cli.WAIT).until(() -> watch.out().contains("down.subRet"));
        publish(server, "deviceConn", "d1", "{\"status\":1}");
        publish(server, "deviceConn", "d1", "{\"status\":2}");
        await().atMost(Cli.WAIT).until(() -> watch.out().contains("\"status\":2"));
        publish(server, "deviceConn", "d2", "{\"status\":2}");
        await().atMost(Cli.WAIT).until(() -> watch.out().contains("\"deviceName\":\"d2\""));

        assertThat(watch.out()).doesNotContain("\"status\":1");
        watching.cancel(true);
      } finally {
        thread.shutdownNow();
      }
    }
  }

  private static void publish(
      ThingPushServer server, String code, String deviceName, String payload) {
    server
        .dispatcher()
        .publish(
            "test", null, SubCode.fromWire(code), "prodA", deviceName, Json.parseOrNull(payload))
        .toCompletableFuture()
        .join();
  }

  // ---- reload

  /** {@code thingpush import} writes the database behind the server's back; {@code reload} makes the server read it. */
  @Test
  void reloadMakesARunningServerTakeAnImportIntoItsDatabase() throws Exception {
    String url = Cli.memoryUrl();
    Path config =
        Files.writeString(
            dir.resolve("c.yaml"),
            "{\"ws\":{\"host\":\"127.0.0.1\",\"port\":0},"
                + "\"http\":{\"host\":\"127.0.0.1\",\"port\":0},\"management\":{\"host\":\"127.0.0.1\",\"port\":0},"
                + "\"mqtt\":{\"port\":0},\"auth\":{\"hs256Secret\":\""
                + Cli.SECRET
                + "\",\"platformAdmins\":[{\"tenant\":\"default\",\"userID\":\"ops\"}]},"
                + "\"registry\":{\"jdbcUrl\":\""
                + url
                + "\",\"importFile\":\""
                + Cli.fixture(dir)
                + "\"}}");
    Path extra =
        Files.writeString(
            dir.resolve("extra.json"),
            "{\"devices\":[{\"productID\":\"prodA\",\"deviceName\":\"late-1\",\"secret\":\"s\",\"projectID\":\"p1\"}]}");
    try (ThingPushServer server =
        ThingPushServer.start(ThingPushConfig.parse(Files.readString(config), Map.of()))) {
      Connection admin = connect(server, token("--user", "nobody", "--admin"), "any-app", null);
      Cli.Result imported = Cli.run("import", "--config", config.toString(), extra.toString());
      assertThat(imported.exit()).as("%s", imported).isZero();
      assertThat(imported.out()).contains("thingpush reload");
      assertThat(subscribeDevice(admin, "late-1")).as("before the reload").isEqualTo(100009);

      Cli.Result reload =
          Cli.run(
              "reload",
              "--config",
              config.toString(),
              "--url",
              "http://127.0.0.1:" + server.httpPort());

      assertThat(reload.exit()).as("%s", reload).isZero();
      assertThat(subscribeDevice(admin, "late-1")).as("after the reload").isEqualTo(200);
      admin.close();
    }
  }

  @Test
  void reloadWithoutAnAdminSaysHowToGiveOne() {
    Cli.Result r = Cli.run("reload", "--url", "http://127.0.0.1:1");

    assertThat(r.exit()).as("%s", r).isEqualTo(2);
    assertThat(r.err()).as("%s", r).contains("--token").contains("auth.platformAdmins");
  }

  // ---- config

  @Test
  void configPrintsTheDocumentedDefaults() {
    Cli.Result r = Cli.run("config");

    assertThat(r.exit()).as("%s", r).isZero();
    assertThat(r.out())
        .contains("maxMessageBytes: 65536")
        .isEqualTo(ThingPushConfig.defaultsYaml());
    assertThat(r.err()).isEmpty();
  }

  @Test
  void configChecksAGoodFile() throws Exception {
    Path good =
        Files.writeString(
            dir.resolve("good.yaml"), "ws:\n  port: 7001\nlimits:\n  messagesPerSecond: 10\n");
    Cli.Result r = Cli.run("config", "--config", good.toString());

    assertThat(r.exit()).as("%s", r).isZero();
    assertThat(r.out()).contains("good.yaml").contains("valid");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ws:\\n  prot: 7001\\n                      | ws.prot",
        "ws:\\n  port: 70000\\n                     | ws.port",
        "limits:\\n  messagesPerSecond: many\\n     | limits.messagesPerSecond",
        "auth:\\n  hs256Secret: short\\n            | auth.hs256Secret",
      })
  void configWithABadFileFailsNamingTheOption(String yaml, String option) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), yaml.strip().replace("\\n", "\n") + "\n");
    Cli.Result r = Cli.run("config", "--config", bad.toString());

    assertThat(r.exit()).as("%s", r).isNotZero();
    assertThat(r.out()).as("%s", r).doesNotContain("valid");
    assertThat(r.err()).as("%s", r).contains(option);
  }

  /**
   * The real {@code main} (child JVM): one line on stderr naming the option, exit code 1, no
   * stack trace.
   */
  @Test
  void theRealMainReportsABadConfigInOneLine() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "ws:\n  port: 70000\n");
    Cli.Result r = Cli.runProcess(dir, "config", "--config", bad.toString());

    assertThat(r.exit()).as("%s", r).isEqualTo(1);
    assertThat(r.err().lines().filter(l -> !l.isBlank()).toList())
        .as("%s", r)
        .singleElement()
        .asString()
        .contains("ws.port")
        .doesNotContain("Exception");
    assertThat(r.out()).as("%s", r).isEmpty();
  }

  // ---- import

  @Test
  void importWritesTheRegistryFileIntoTheConfiguredDatabase() throws Exception {
    String url = Cli.memoryUrl();
    Path config =
        Files.writeString(dir.resolve("db.yaml"), "registry:\n  jdbcUrl: \"" + url + "\"\n");
    Path file = Cli.fixture(dir);

    Cli.Result r = Cli.run("import", "--config", config.toString(), file.toString());

    assertThat(r.exit()).as("%s", r).isZero();
    assertThat(r.out()).contains("registry.json");
    try (Registry registry = Registry.open(url, "sa", "", 1, Duration.ofSeconds(10))) {
      Directory d = registry.load();
      assertThat(d.tenants()).extracting(Tenant::code).containsExactlyInAnyOrder("default", "acme");
      assertThat(d.devices()).hasSize(21);
      assertThat(d.device("prodA", "d1"))
          .contains(new Device("prodA", "d1", "s", "default", "p1", "a111"));
      assertThat(d.areaPath("a111")).containsExactly("a111", "a11", "a1");
      assertThat(d.grants("default", "bob"))
          .containsExactly(new Grant("default", "bob", "p1", "a1"));
      assertThat(d.grants("default", "42")).extracting(Grant::projectId).containsExactly("p2");
    }
  }

  @Test
  void anInvalidImportFileWritesNothingAndFails() throws Exception {
    String url = Cli.memoryUrl();
    Path config =
        Files.writeString(dir.resolve("db.yaml"), "registry:\n  jdbcUrl: \"" + url + "\"\n");
    String text =
        Files.readString(Cli.fixture(dir))
            .replace(
                "{\"productID\": \"prodA\", \"deviceName\": \"d2\"",
                "{\"productID\": \"noSuchProduct\", \"deviceName\": \"d2\"");
    Path file = Files.writeString(dir.resolve("broken.json"), text);

    Cli.Result r = Cli.run("import", "--config", config.toString(), file.toString());

    assertThat(r.exit()).as("%s", r).isNotZero();
    assertThat(r.err()).as("%s", r).contains("noSuchProduct");
    try (Registry registry = Registry.open(url, "sa", "", 1, Duration.ofSeconds(10))) {
      assertThat(registry.load().devices()).isEmpty();
      assertThat(registry.load().tenants()).isEmpty();
    }
  }

  // ---- export

  @Test
  void exportWritesWhatImportReadsBack() throws Exception {
    String source = Cli.memoryUrl();
    String copy = Cli.memoryUrl();
    Path sourceConfig =
        Files.writeString(dir.resolve("source.yaml"), "registry:\n  jdbcUrl: \"" + source + "\"\n");
    Path copyConfig =
        Files.writeString(dir.resolve("copy.yaml"), "registry:\n  jdbcUrl: \"" + copy + "\"\n");
    assertThat(
            Cli.run("import", "--config", sourceConfig.toString(), Cli.fixture(dir).toString())
                .exit())
        .isZero();

    Cli.Result toStdout = Cli.run("export", "--config", sourceConfig.toString());
    Path file = dir.resolve("export.json");
    Cli.Result toFile =
        Cli.run("export", "--config", sourceConfig.toString(), "-o", file.toString());
    Cli.Result imported = Cli.run("import", "--config", copyConfig.toString(), file.toString());
    Cli.Result again = Cli.run("export", "--config", copyConfig.toString());

    assertThat(toStdout.exit()).as("%s", toStdout).isZero();
    assertThat(toFile.exit()).as("%s", toFile).isZero();
    assertThat(imported.exit()).as("%s", imported).isZero();
    assertThat(Files.readString(file)).isEqualTo(toStdout.out());
    assertThat(again.out()).as("export, import, export: the same bytes").isEqualTo(toStdout.out());
    JsonNode json = Json.MAPPER.readTree(toStdout.out());
    assertThat(json.path("devices")).hasSize(21);

    Cli.Result acme = Cli.run("export", "--config", sourceConfig.toString(), "--tenant", "acme");
    assertThat(Json.MAPPER.readTree(acme.out()).path("devices")).hasSize(1);
  }

  // ---- helpers

  private static String token(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "token";
    all[1] = "--secret";
    all[2] = Cli.SECRET;
    System.arraycopy(args, 0, all, 3, args.length);
    Cli.Result r = Cli.run(all);
    assertThat(r.exit()).as("token %s: %s", Arrays.toString(args), r).isZero();
    return r.out().trim();
  }

  private static Connection connect(
      ThingPushServer server, String token, String appCode, String tenant) {
    ConnectOptions options =
        ConnectOptions.builder("ws://127.0.0.1:" + server.wsPort())
            .token(token)
            .appCode(appCode)
            .tenantCode(tenant)
            .build();
    try {
      return ThingPushClient.connect(options).get(Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connect " + options.uri() + ": " + e, e);
    }
  }

  private static void assertRefused(Connection c, int code, int close) {
    assertThat(c.hello().path("code").asInt()).as("%s", c.hello()).isEqualTo(code);
    CloseStatus closed =
        c.closed().completeOnTimeout(null, Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    assertThat(closed).as("close of a refused connection").isNotNull();
    assertThat(closed.code()).isEqualTo(close);
  }

  private static int subscribeDevice(Connection c, String deviceName) {
    JsonNode reply =
        c.subscribe("deviceConn", Map.of("productID", "prodA", "deviceName", deviceName))
            .completeOnTimeout(null, Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .join();
    assertThat(reply).as("down.subRet").isNotNull();
    return reply.path("code").asInt();
  }

  private static int subscribeProject(Connection c, String projectID) {
    JsonNode reply =
        c.subscribe("deviceConn", Map.of("projectID", projectID))
            .completeOnTimeout(null, Cli.WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .join();
    assertThat(reply).as("down.subRet").isNotNull();
    return reply.path("code").asInt();
  }
}
