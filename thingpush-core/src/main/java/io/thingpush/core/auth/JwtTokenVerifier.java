package io.thingpush.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.thingpush.core.auth.TokenKeys.Algorithm;
import io.thingpush.core.auth.TokenKeys.PublicKeyEntry;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies JWTs against the configured {@link TokenKeys} and reads the claims of SPEC §5.
 *
 * <p>The header's {@code alg} must be HS256, RS256 or ES256 and have a configured key (else
 * 100004, {@code none} included). A {@code kid} picks the one key of that name, whose algorithm
 * must be the header's (else 100004: this is what stops a token signed HS256 with an RSA public
 * key as the secret); an unknown {@code kid} or a signature no key verifies is 100005. Without a
 * {@code kid} every key of the algorithm is tried (HS256: the current secret, then the previous).
 *
 * <p>Claims are read under the names of {@link ClaimNames}. A token without a tenant claim gives a
 * principal without a tenant, which {@link UserTokens} completes from the registry. A token
 * without {@code exp} is refused (100005) unless tokens without expiry are allowed.
 */
public final class JwtTokenVerifier implements TokenVerifier {
  /** A verifier and the kid of its key (null for HS256 secrets and unnamed keys). */
  private record Key(String kid, Algorithm algorithm, JWSVerifier verifier) {}

  private final List<Key> keys;
  private final ClaimNames names;
  private final boolean expRequired;
  private final Clock clock;

  public JwtTokenVerifier(String hs256Secret, Clock clock) {
    this(TokenKeys.hs256(hs256Secret), clock);
  }

  /** Default claim names; {@code exp} required. */
  public JwtTokenVerifier(TokenKeys tokenKeys, Clock clock) {
    this(tokenKeys, ClaimNames.DEFAULT, true, clock);
  }

  /** @param expRequired false also accepts tokens without {@code exp}, which then never expire */
  public JwtTokenVerifier(TokenKeys tokenKeys, ClaimNames names, boolean expRequired, Clock clock) {
    if (tokenKeys.isEmpty()) {
      throw new IllegalArgumentException("no key to verify tokens with");
    }
    List<Key> all = new ArrayList<>();
    for (byte[] secret : tokenKeys.hmacSecrets()) {
      all.add(new Key(null, Algorithm.HS256, macVerifier(secret)));
    }
    for (PublicKeyEntry entry : tokenKeys.publicKeys()) {
      all.add(new Key(entry.kid(), entry.algorithm(), publicKeyVerifier(entry)));
    }
    this.keys = List.copyOf(all);
    this.names = names;
    this.expRequired = expRequired;
    this.clock = clock;
  }

  @Override
  public Principal verify(String token) {
    if (token == null || token.isEmpty()) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "token missing");
    }
    SignedJWT jwt = parse(token);
    Algorithm algorithm = algorithm(jwt);
    if (!verified(jwt, candidates(jwt, algorithm))) {
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
    if (exp == null && expRequired) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "claim exp missing");
    }
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
    if (!(jwt instanceof SignedJWT signed)) {
      throw new ThingPushException(
          ErrorCode.TOKEN_MALFORMED,
          "algorithm " + jwt.getHeader().getAlgorithm() + " not allowed");
    }
    return signed;
  }

  /** The header's algorithm, when it is one that some configured key verifies. */
  private Algorithm algorithm(SignedJWT jwt) {
    String name = jwt.getHeader().getAlgorithm().getName();
    for (Algorithm a : Algorithm.values()) {
      if (a.name().equals(name) && keys.stream().anyMatch(k -> k.algorithm() == a)) {
        return a;
      }
    }
    throw new ThingPushException(ErrorCode.TOKEN_MALFORMED, "algorithm " + name + " not allowed");
  }

  private List<Key> candidates(SignedJWT jwt, Algorithm algorithm) {
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      return keys.stream().filter(k -> k.algorithm() == algorithm).toList();
    }
    Key named = keys.stream().filter(k -> kid.equals(k.kid())).findFirst().orElse(null);
    if (named == null) {
      if (algorithm == Algorithm.HS256) {
        // Secrets have no names: a kid on an HS256 token names nothing and is ignored.
        return keys.stream().filter(k -> k.algorithm() == algorithm).toList();
      }
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "unknown key " + kid);
    }
    if (named.algorithm() != algorithm) {
      throw new ThingPushException(
          ErrorCode.TOKEN_MALFORMED, "algorithm " + algorithm + " does not match key " + kid);
    }
    return List.of(named);
  }

  private static boolean verified(SignedJWT jwt, List<Key> candidates) {
    for (Key key : candidates) {
      try {
        if (jwt.verify(key.verifier())) {
          return true;
        }
      } catch (JOSEException e) {
        // This key cannot check this token (e.g. a signature of the wrong length): try the next.
      }
    }
    return false;
  }

  private static JWSVerifier macVerifier(byte[] secret) {
    try {
      return new MACVerifier(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("HS256 secret: " + e.getMessage(), e);
    }
  }

  private static JWSVerifier publicKeyVerifier(PublicKeyEntry entry) {
    try {
      return entry.algorithm() == Algorithm.RS256
          ? new RSASSAVerifier((RSAPublicKey) entry.key())
          : new ECDSAVerifier((ECPublicKey) entry.key());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key " + entry.kid() + ": " + e.getMessage(), e);
    }
  }

  private Principal principal(JWTClaimsSet claims, Instant expiresAt) {
    Object user = first(claims, names.userId());
    if (!(user instanceof String || user instanceof Number) || user.toString().isEmpty()) {
      throw new ThingPushException(
          ErrorCode.TOKEN_INVALID, "claim " + names.userId().get(0) + " missing");
    }
    Object tenant = first(claims, names.tenantCode());
    if (tenant != null && (!(tenant instanceof String text) || text.isEmpty())) {
      throw new ThingPushException(
          ErrorCode.TOKEN_INVALID,
          "claim " + names.tenantCode().get(0) + " must be a non-empty string");
    }
    Object admin = first(claims, names.admin());
    if (admin != null && !(admin instanceof Boolean)) {
      throw new ThingPushException(
          ErrorCode.TOKEN_INVALID, "claim " + names.admin().get(0) + " must be a boolean");
    }
    Object apps = first(claims, names.appCodes());
    Set<String> appCodes = null;
    if (apps != null) {
      if (!(apps instanceof List<?> list)) {
        throw new ThingPushException(
            ErrorCode.TOKEN_INVALID, "claim " + names.appCodes().get(0) + " must be a list");
      }
      appCodes = new LinkedHashSet<>();
      for (Object app : list) {
        appCodes.add(String.valueOf(app));
      }
    }
    Object app = first(claims, names.appCode());
    if (app != null && !(app instanceof String)) {
      throw new ThingPushException(
          ErrorCode.TOKEN_INVALID, "claim " + names.appCode().get(0) + " must be a string");
    }
    // i-Things leaves AppCode empty when a token is good for any app.
    String appCode = app == null || ((String) app).isEmpty() ? null : (String) app;
    return new Principal(
        (String) tenant, user.toString(), Boolean.TRUE.equals(admin), appCodes, appCode, expiresAt);
  }

  /** The value of the first of {@code names} the token has, or null. */
  private static Object first(JWTClaimsSet claims, List<String> names) {
    for (String name : names) {
      Object value = claims.getClaim(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
