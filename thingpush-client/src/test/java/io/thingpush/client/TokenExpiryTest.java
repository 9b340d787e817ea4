package io.thingpush.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenExpiryTest {
  private static String jwt(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".sig";
  }

  @Test
  void readsTheExpClaim() {
    assertThat(TokenExpiry.of(jwt("{\"exp\":1900000000,\"userID\":\"ü\"}")))
        .isEqualTo(Instant.ofEpochSecond(1_900_000_000));
  }

  @Test
  void anythingElseHasNoExpiry() {
    assertThat(TokenExpiry.of(jwt("{\"userID\":\"a\"}"))).isNull();
    assertThat(TokenExpiry.of("not a token")).isNull();
    assertThat(TokenExpiry.of("a.%%%.c")).isNull();
    assertThat(TokenExpiry.of(null)).isNull();
  }
}
