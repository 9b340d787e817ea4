package io.thingpush.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs HS256 tokens with the claims of SPEC §5, or as i-Things' login issues them, for local use
 * (CLI, demo, trying a replacement of i-Things' push tier).
 */
public final class TokenMinter {
  private final MACSigner signer;

  public TokenMinter(String hs256Secret) {
    try {
      this.signer = new MACSigner(hs256Secret.getBytes(StandardCharsets.UTF_8));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("auth.hs256Secret: " + e.getMessage(), e);
    }
  }

  /** A token valid from now for {@code ttl}; {@code appCodes} null allows any app. */
  public String mint(
      String tenantCode, String userId, boolean admin, List<String> appCodes, Duration ttl) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .claim("tenantCode", tenantCode)
            .claim("userID", userId)
            .claim("isAdmin", admin)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)));
    if (appCodes != null) {
      claims.claim("appCodes", appCodes);
    }
    return sign(claims);
  }

  /**
   * A login token as i-Things issues them (its users.LoginClaims): {@code UserID} as a string,
   * {@code AppCode} ({@code appCode} null: "", any app), an empty {@code DeviceID}, {@code exp},
   * {@code iat}, {@code jti}, and no tenant (the registry's users give it).
   */
  public String mintLogin(String userId, String appCode, Duration ttl) {
    Instant now = Instant.now();
    return sign(
        new JWTClaimsSet.Builder()
            .claim("UserID", userId)
            .claim("AppCode", appCode == null ? "" : appCode)
            .claim("DeviceID", "")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString()));
  }

  private String sign(JWTClaimsSet.Builder claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }
}
