package io.thingpush.server.it.ws;

import static io.thingpush.server.it.Jsons.assertJson;
import static io.thingpush.server.it.TestServer.APP;
import static io.thingpush.server.it.TestServer.PLATFORM_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Tokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real tokens can be long (many app codes, groups, roles): one of several KiB connects from the
 * query or a header and is checked as a token; a request too long to read is told so.
 */
class LongTokensTest {
  @RegisterExtension static final TestServer server = TestServer.forClass();

  /** A token of {@code userID} over {@code bytes} long, its length made of app codes. */
  private static Tokens.Builder longToken(String userID, int bytes) {
    String[] appCodes =
        IntStream.range(0, bytes / 40 + 1)
            .mapToObj(i -> "app-code-of-a-big-installation-" + i)
            .toArray(String[]::new);
    appCodes[0] = APP;
    return server.token(userID).appCodes(appCodes);
  }

  @Test
  void aTokenOf8KiBConnectsFromTheQueryAndFromAHeader() {
    String token = longToken("alice", 8 * 1024).sign();
    assertThat(token.length()).isGreaterThan(8 * 1024);

    server.accepted(server.connect(server.options().token(token).build()));
    server.accepted(server.connect(server.options().header("token", token).build()));
  }

  @Test
  void aLongTokenWithABadSignatureIsRefusedAsAToken() {
    String forged =
        longToken("alice", 8 * 1024).signedWith("another-secret-of-at-least-32-characters!").sign();

    Connection c = server.connect(server.options().token(forged).build());

    ConnectTest.assertRefused(c, 100005, 4001);
  }

  @Test
  void aRequestLineOverTheLimitIsAnswered414NamingTheLimit() {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + server.wsBase().getPort()
                + ConnectOptions.DEFAULT_PATH
                + "?app-code="
                + APP
                + "&token="
                + longToken("alice", 20 * 1024).sign());

    TestServer.HttpResult r =
        TestServer.send(HttpRequest.newBuilder(uri).timeout(TestServer.WAIT).GET().build());

    assertThat(r.status()).isEqualTo(414);
    assertJson(r.json(), "{'code':100006,'msg':'*'}");
    assertThat(r.json().path("msg").asText())
        .endsWith(": request line over 16384 bytes (ws.maxRequestLineBytes)");
  }

  @Test
  void theAdminApiTakesAnAuthorizationHeaderOf8KiB() {
    String token = longToken(PLATFORM_ADMIN, 8 * 1024).sign();

    TestServer.HttpResult r =
        server.http("GET", AdminClient.BASE + "/tenants", "Bearer " + token, null);

    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }
}
