package io.thingpush.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Verifies HS256 JWTs signed with the configured secret and reads the claims of SPEC §5. */
public final class JwtTokenVerifier implements TokenVerifier {
  private final MACVerifier verifier;
  private final Clock clock;

  public JwtTokenVerifier(String hs256Secret, Clock clock) {
    try {
      this.verifier = new MACVerifier(hs256Secret.getBytes(StandardCharsets.UTF_8));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("auth.hs256Secret: " + e.getMessage(), e);
    }
    this.clock = clock;
  }

  @Override
  public Principal verify(String token) {
    if (token == null || token.isEmpty()) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "token missing");
    }
    SignedJWT jwt = parse(token);
    try {
      if (!jwt.verify(verifier)) {
        throw new ThingPushException(ErrorCode.TOKEN_INVALID, "bad signature");
      }
    } catch (JOSEException e) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "bad signature");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new ThingPushException(ErrorCode.TOKEN_MALFORMED, "claims are not a JSON object");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp != null && !now.isBefore(exp.toInstant())) {
      throw new ThingPushException(ErrorCode.TOKEN_EXPIRED, null);
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant())) {
      throw new ThingPushException(ErrorCode.TOKEN_NOT_YET_VALID, null);
    }
    return principal(claims, exp == null ? null : exp.toInstant());
  }

  private static SignedJWT parse(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new ThingPushException(ErrorCode.TOKEN_MALFORMED, "not a JWT");
    }
    if (!(jwt instanceof SignedJWT signed)
        || !JWSAlgorithm.HS256.equals(signed.getHeader().getAlgorithm())) {
      throw new ThingPushException(
          ErrorCode.TOKEN_MALFORMED, "algorithm " + jwt.getHeader().getAlgorithm() + " not allowed");
    }
    return signed;
  }

  private static Principal principal(JWTClaimsSet claims, Instant expiresAt) {
    Object tenant = claims.getClaim("tenantCode");
    Object user = claims.getClaim("userID");
    if (!(tenant instanceof String tenantCode) || tenantCode.isEmpty()) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "claim tenantCode missing");
    }
    if (!(user instanceof String || user instanceof Number) || user.toString().isEmpty()) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "claim userID missing");
    }
    Object admin = claims.getClaim("isAdmin");
    if (admin != null && !(admin instanceof Boolean)) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "claim isAdmin must be a boolean");
    }
    Object apps = claims.getClaim("appCodes");
    Set<String> appCodes = null;
    if (apps != null) {
      if (!(apps instanceof List<?> list)) {
        throw new ThingPushException(ErrorCode.TOKEN_INVALID, "claim appCodes must be a list");
      }
      appCodes = new LinkedHashSet<>();
      for (Object app : list) {
        appCodes.add(String.valueOf(app));
      }
    }
    return new Principal(tenantCode, user.toString(), Boolean.TRUE.equals(admin), appCodes, expiresAt);
  }
}
