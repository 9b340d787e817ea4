package io.thingpush.server.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Mints test JWTs with the claims of SPEC §5; HS256 with the test secret unless told. */
public final class Tokens {
  private final String secret;

  Tokens(String secret) {
    this.secret = secret;
  }

  /** A token of {@code userID} (a String or a Number) in tenant {@code default}, valid 1 h. */
  Builder of(Object userID) {
    return new Builder(userID);
  }

  /**
   * A login token as i-Things issues them (its users.LoginClaims): {@code UserID} as a string of
   * digits, {@code AppCode}, {@code DeviceID}, {@code exp}, {@code iat}, {@code jti}, no tenant.
   */
  Builder login(String userID) {
    Builder b = new Builder(userID);
    b.iThings = true;
    b.tenant = null;
    return b;
  }

  public final class Builder {
    private final Object userID;
    private String tenant = "default";
    private boolean admin;
    private List<String> appCodes;
    private Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
    private Instant notBefore;
    private String signingSecret = secret;
    private boolean iThings;
    private String appCode = "";

    private Builder(Object userID) {
      this.userID = userID;
    }

    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** The {@code AppCode} of an i-Things login token ("" by default: any app). */
    public Builder appCode(String appCode) {
      this.appCode = appCode;
      return this;
    }

    public Builder admin() {
      this.admin = true;
      return this;
    }

    public Builder appCodes(String... appCodes) {
      this.appCodes = List.of(appCodes);
      return this;
    }

    /** {@code null}: no {@code exp} claim at all. */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    public Builder notBefore(Instant notBefore) {
      this.notBefore = notBefore;
      return this;
    }

    /** Signs with another secret: a token with a bad signature. */
    public Builder signedWith(String otherSecret) {
      this.signingSecret = otherSecret;
      return this;
    }

    public JWTClaimsSet claims() {
      if (iThings) {
        JWTClaimsSet.Builder claims =
            new JWTClaimsSet.Builder()
                .claim("UserID", userID)
                .claim("AppCode", appCode)
                .claim("DeviceID", "")
                .issueTime(new Date())
                .jwtID(java.util.UUID.randomUUID().toString());
        if (expiresAt != null) {
          claims.expirationTime(Date.from(expiresAt));
        }
        if (tenant != null) {
          claims.claim("tenantCode", tenant);
        }
        return claims.build();
      }
      JWTClaimsSet.Builder claims =
          new JWTClaimsSet.Builder()
              .claim("tenantCode", tenant)
              .claim("userID", userID)
              .claim("isAdmin", admin);
      if (expiresAt != null) {
        claims.expirationTime(Date.from(expiresAt));
      }
      if (appCodes != null) {
        claims.claim("appCodes", appCodes);
      }
      if (notBefore != null) {
        claims.notBeforeTime(Date.from(notBefore));
      }
      return claims.build();
    }

    public String sign() {
      try {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims());
        jwt.sign(new MACSigner(signingSecret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The same claims as an unsecured JWT ({@code alg: none}). */
    public String unsigned() {
      return new PlainJWT(claims()).serialize();
    }
  }
}
