package io.thingpush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectOptionsTest {
  private static final String PATH = "/api/v1/system/common/websocket/connect";

  @Test
  void paramsGoAsQueryByDefault() {
    ConnectOptions o =
        ConnectOptions.builder("ws://127.0.0.1:7777")
            .token("t.o.k")
            .appCode("dash board")
            .projectId("p1")
            .tenantCode("default")
            .build();

    assertThat(o.uri())
        .isEqualTo(
            URI.create(
                "ws://127.0.0.1:7777"
                    + PATH
                    + "?token=t.o.k&app-code=dash%20board&project-id=p1&tenant-code=default"));
    assertThat(o.headers()).isEmpty();
  }

  @Test
  void paramsGoAsHeadersWhenAsked() {
    ConnectOptions o =
        ConnectOptions.builder("ws://127.0.0.1:7777/")
            .token("tok")
            .appCode("app")
            .paramsAsHeaders()
            .acceptLanguage("en")
            .build();

    assertThat(o.uri()).isEqualTo(URI.create("ws://127.0.0.1:7777" + PATH));
    assertThat(o.headers())
        .containsExactly(
            Map.entry("token", "tok"),
            Map.entry("app-code", "app"),
            Map.entry("Accept-Language", "en"));
  }

  @Test
  void unsetParamsAreNotSentAndEmptyOnesAre() {
    ConnectOptions o = ConnectOptions.builder("ws://h:1").appCode("").build();

    assertThat(o.uri()).isEqualTo(URI.create("ws://h:1" + PATH + "?app-code="));
  }

  @Test
  void extrasComeAfterTheParams() {
    ConnectOptions o =
        ConnectOptions.builder("ws://h:1")
            .path("/x")
            .token("a")
            .queryParam("token", "b")
            .header("token", "c")
            .build();

    assertThat(o.uri()).isEqualTo(URI.create("ws://h:1/x?token=b"));
    assertThat(o.headers()).containsExactly(Map.entry("token", "c"));
  }

  @Test
  void toBuilderKeepsEverything() {
    ConnectOptions o =
        ConnectOptions.builder("ws://h:1").token("a").appCode("b").header("X-A", "1").build();

    ConnectOptions copy = o.toBuilder().token("fresh").build();

    assertThat(copy.uri()).isEqualTo(URI.create("ws://h:1" + PATH + "?token=fresh&app-code=b"));
    assertThat(copy.headers()).containsExactly(Map.entry("X-A", "1"));
  }

  @Test
  void refusesNonWebSocketSchemes() {
    assertThatThrownBy(() -> ConnectOptions.builder("http://h:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ws://");
  }
}
