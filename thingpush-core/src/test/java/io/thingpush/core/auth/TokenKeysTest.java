package io.thingpush.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** RS256, ES256, keys chosen by kid, the previous HS256 secret, and the algorithms refused. */
class TokenKeysTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final String SECRET = "thingpush-current-secret-of-32-bytes-or-more";
  private static final String PREVIOUS = "thingpush-previous-secret-of-32-bytes-or-more";
  private static final KeyPair RSA_1 = generate("RSA", 2048);
  private static final KeyPair RSA_2 = generate("RSA", 2048);
  private static final KeyPair EC = generateEc("secp256r1");

  private final JwtTokenVerifier verifier =
      new JwtTokenVerifier(
          TokenKeys.hs256(SECRET)
              .withHs256(PREVIOUS)
              .withPublicKey("rsa-2025", RSA_1.getPublic())
              .withPublicKey("rsa-2026", RSA_2.getPublic())
              .withPublicKey("ec-1", EC.getPublic()),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void rs256IsVerifiedWithTheKeyItsKidNames() {
    assertThat(verifier.verify(rs256(RSA_1, "rsa-2025")).userId()).isEqualTo("u-1");
    assertThat(verifier.verify(rs256(RSA_2, "rsa-2026")).userId()).isEqualTo("u-1");
  }

  @Test
  void es256IsVerified() {
    assertThat(verifier.verify(es256(EC, "ec-1")).userId()).isEqualTo("u-1");
    assertThat(verifier.verify(es256(EC, null)).userId())
        .as("no kid: every ES256 key is tried")
        .isEqualTo("u-1");
  }

  @Test
  void withoutAKidEveryKeyOfTheAlgorithmIsTried() {
    assertThat(verifier.verify(rs256(RSA_2, null)).userId()).isEqualTo("u-1");
  }

  @Test
  void thePreviousHs256SecretIsAcceptedDuringARotation() {
    assertThat(verifier.verify(hs256(SECRET, null)).userId()).isEqualTo("u-1");
    assertThat(verifier.verify(hs256(PREVIOUS, null)).userId()).isEqualTo("u-1");
    assertThat(refusal(hs256("some-other-secret-of-at-least-32-bytes", null)).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void anUnknownKidIs100005() {
    ThingPushException e = refusal(rs256(RSA_1, "rsa-2019"));

    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(e.detail()).isEqualTo("unknown key rsa-2019");
  }

  @Test
  void aKidNamingAnotherKeyIsABadSignature() {
    assertThat(refusal(rs256(RSA_1, "rsa-2026")).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void anRs256TokenOfAnUnconfiguredKeyIs100005() {
    assertThat(refusal(rs256(generate("RSA", 2048), null)).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  /** The classic confusion: HS256 "signed" with the RSA public key as the secret. */
  @Test
  void hs256SignedWithThePublicKeyOfAnRsaKidIs100004() {
    String forged = hs256(RSA_1.getPublic().getEncoded(), "rsa-2025");

    ThingPushException e = refusal(forged);
    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_MALFORMED);
    assertThat(e.detail()).isEqualTo("algorithm HS256 does not match key rsa-2025");
  }

  @Test
  void hs256IsRefusedWhenOnlyPublicKeysAreConfigured() {
    JwtTokenVerifier rsaOnly =
        new JwtTokenVerifier(
            TokenKeys.none().withPublicKey("rsa-2025", RSA_1.getPublic()),
            Clock.fixed(NOW, ZoneOffset.UTC));

    ThingPushException e =
        catchThrowableOfType(
            ThingPushException.class,
            () -> rsaOnly.verify(hs256(RSA_1.getPublic().getEncoded(), null)));
    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_MALFORMED);
    assertThat(rsaOnly.verify(rs256(RSA_1, "rsa-2025")).userId()).isEqualTo("u-1");
  }

  @Test
  void anEs256KidOnAnRs256TokenIs100004() {
    assertThat(refusal(rs256(RSA_1, "ec-1")).code()).isEqualTo(ErrorCode.TOKEN_MALFORMED);
  }

  @Test
  void noneAndOtherAlgorithmsAre100004() throws Exception {
    assertThat(refusal(new PlainJWT(claims()).serialize()).code())
        .isEqualTo(ErrorCode.TOKEN_MALFORMED);
    String rs512 = sign(JWSAlgorithm.RS512, new RSASSASigner(RSA_1.getPrivate()), "rsa-2025");
    assertThat(refusal(rs512).code()).isEqualTo(ErrorCode.TOKEN_MALFORMED);
  }

  @Test
  void onlyRsaAndP256KeysAreAccepted() {
    assertThatThrownBy(
            () -> TokenKeys.none().withPublicKey("k", generateEc("secp384r1").getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-256");
    assertThatThrownBy(
            () ->
                TokenKeys.none()
                    .withPublicKey("k", RSA_1.getPublic())
                    .withPublicKey("k", RSA_2.getPublic()))
        .hasMessage("kid k is used by two keys");
  }

  @Test
  void someKeyIsNeeded() {
    assertThatThrownBy(() -> new JwtTokenVerifier(TokenKeys.none(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private ThingPushException refusal(String token) {
    ThingPushException e =
        catchThrowableOfType(ThingPushException.class, () -> verifier.verify(token));
    assertThat(e).as("expected a refusal of %s", token).isNotNull();
    return e;
  }

  private static JWTClaimsSet claims() {
    return new JWTClaimsSet.Builder()
        .claim("tenantCode", "default")
        .claim("userID", "u-1")
        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
        .build();
  }

  private static String rs256(KeyPair pair, String kid) {
    return sign(JWSAlgorithm.RS256, new RSASSASigner(pair.getPrivate()), kid);
  }

  private static String es256(KeyPair pair, String kid) {
    try {
      return sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) pair.getPrivate()), kid);
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static String hs256(String secret, String kid) {
    return hs256(secret.getBytes(StandardCharsets.UTF_8), kid);
  }

  private static String hs256(byte[] secret, String kid) {
    try {
      return sign(JWSAlgorithm.HS256, new MACSigner(secret), kid);
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static String sign(JWSAlgorithm alg, JWSSigner signer, String kid) {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
    return jwt.serialize();
  }

  private static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static KeyPair generateEc(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
