package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** When a JWT says it expires: its {@code exp} claim, read without checking the token. */
final class TokenExpiry {
  private TokenExpiry() {}

  /** The {@code exp} of {@code token}, or null when it is not a JWT or has none. */
  static Instant of(String token) {
    if (token == null) {
      return null;
    }
    String[] parts = token.split("\\.");
    if (parts.length < 2) {
      return null;
    }
    try {
      JsonNode claims =
          Json.parseOrNull(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      JsonNode exp = claims == null ? null : claims.get("exp");
      return exp != null && exp.isNumber() ? Instant.ofEpochSecond(exp.asLong()) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
