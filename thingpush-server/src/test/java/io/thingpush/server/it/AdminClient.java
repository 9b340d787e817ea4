package io.thingpush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.server.it.TestServer.HttpResult;

/** Calls the admin API of a test server with one token; paths are relative to /api/v1/admin. */
public final class AdminClient {
  public static final String BASE = "/api/v1/admin";

  private final TestServer server;
  private final String token;

  public AdminClient(TestServer server, String token) {
    this.server = server;
    this.token = token;
  }

  public HttpResult get(String path) {
    return server.http("GET", BASE + path, auth(), null);
  }

  public HttpResult post(String path, String json) {
    return server.http("POST", BASE + path, auth(), Jsons.json(json).toString());
  }

  public HttpResult put(String path, String json) {
    return server.http("PUT", BASE + path, auth(), Jsons.json(json).toString());
  }

  public HttpResult delete(String path) {
    return server.http("DELETE", BASE + path, auth(), null);
  }

  /** Asserts a success of {@code status} and returns its {@code data}. */
  public static JsonNode ok(HttpResult r, int status) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.json().path("code").asInt()).as("%s", r).isEqualTo(200);
    return r.json().path("data");
  }

  /** Asserts a refusal: HTTP {@code status}, SPEC code {@code code}, and a message. */
  public static JsonNode refused(HttpResult r, int status, int code) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.json().path("code").asInt()).as("%s", r).isEqualTo(code);
    assertThat(r.json().path("msg").asText()).as("%s", r).isNotBlank();
    return r.json();
  }

  private String auth() {
    return token == null ? null : "Bearer " + token;
  }
}
