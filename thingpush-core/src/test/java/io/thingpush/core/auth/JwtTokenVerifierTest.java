package io.thingpush.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens (SPEC §5) and the token error codes of SPEC §1. */
class JwtTokenVerifierTest {
  private static final String SECRET = "thingpush-test-secret-of-at-least-32-bytes";
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private final JwtTokenVerifier verifier =
      new JwtTokenVerifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .claim("tenantCode", "default")
        .claim("userID", "u-42")
        .issueTime(Date.from(NOW.minusSeconds(60)))
        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
  }

  private static String sign(JWSAlgorithm alg, JWSSigner signer, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
    return jwt.serialize();
  }

  private static String hs256(String secret, JWTClaimsSet claims) {
    try {
      return sign(
          JWSAlgorithm.HS256, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), claims);
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static String hs256(JWTClaimsSet claims) {
    return hs256(SECRET, claims);
  }

  private ThingPushException refusal(String token) {
    return refusal(verifier, token);
  }

  private static ThingPushException refusal(JwtTokenVerifier verifier, String token) {
    ThingPushException e =
        catchThrowableOfType(ThingPushException.class, () -> verifier.verify(token));
    assertThat(e).as("expected a refusal of %s", token).isNotNull();
    return e;
  }

  // ---- accepted ------------------------------------------------------------------------------

  @Test
  void hs256TokenGivesItsClaims() {
    Instant exp = NOW.plus(Duration.ofHours(1));
    String token =
        hs256(
            claims()
                .claim("isAdmin", true)
                .claim("appCodes", List.of("dashboard", "mobile"))
                .expirationTime(Date.from(exp))
                .build());

    Principal p = verifier.verify(token);

    assertThat(p.tenantCode()).isEqualTo("default");
    assertThat(p.userId()).isEqualTo("u-42");
    assertThat(p.admin()).isTrue();
    assertThat(p.appCodes()).containsExactlyInAnyOrder("dashboard", "mobile");
    assertThat(p.expiresAt()).isEqualTo(exp);
  }

  @Test
  void numericUserIdIsReadAsItsDigits() {
    Principal p = verifier.verify(hs256(claims().claim("userID", 1790000000000000001L).build()));

    assertThat(p.userId()).isEqualTo("1790000000000000001");
  }

  @Test
  void optionalClaimsDefault() {
    Principal p = verifier.verify(hs256(claims().build()));

    assertThat(p.admin()).isFalse();
    assertThat(p.appCodes()).as("no appCodes: any app").isNull();
  }

  @Test
  void aTokenWithoutExpiryIsRefusedUnlessAllowed() {
    String token = hs256(claims().expirationTime(null).build());

    ThingPushException e = refusal(token);
    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(e.getMessage()).contains("exp");

    JwtTokenVerifier lenient =
        new JwtTokenVerifier(
            TokenKeys.hs256(SECRET), ClaimNames.DEFAULT, false, Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(lenient.verify(token).expiresAt()).as("allowed: it never expires").isNull();
  }

  @Test
  void anIThingsLoginTokenGivesItsUserAndAppWithoutATenant() {
    // The claims i-Things' login puts in its tokens (users.LoginClaims): UserID as a string of
    // digits.
    String token =
        hs256(
            new JWTClaimsSet.Builder()
                .claim("UserID", "1790000000000000001")
                .claim("AppCode", "core")
                .claim("DeviceID", "")
                .issueTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .jwtID("a6b2")
                .build());

    Principal p = verifier.verify(token);

    assertThat(p.userId()).isEqualTo("1790000000000000001");
    assertThat(p.tenantCode()).as("the registry completes it").isNull();
    assertThat(p.appCode()).isEqualTo("core");
    assertThat(p.allowsApp("core")).isTrue();
    assertThat(p.allowsApp("mobile")).isFalse();
  }

  @Test
  void anEmptyAppCodeAllowsAnyApp() {
    Principal p = verifier.verify(hs256(claims().claim("AppCode", "").build()));

    assertThat(p.appCode()).isNull();
    assertThat(p.allowsApp("anything")).isTrue();
  }

  @Test
  void claimNamesAreConfigurable() {
    JwtTokenVerifier custom =
        new JwtTokenVerifier(
            TokenKeys.hs256(SECRET),
            new ClaimNames(
                List.of("uid"),
                List.of("tenant"),
                List.of("root"),
                List.of("apps"),
                List.of("app")),
            true,
            Clock.fixed(NOW, ZoneOffset.UTC));
    String token =
        hs256(
            new JWTClaimsSet.Builder()
                .claim("uid", 7)
                .claim("tenant", "acme")
                .claim("root", true)
                .claim("apps", List.of("a", "b"))
                .claim("app", "a")
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .build());

    Principal p = custom.verify(token);

    assertThat(p)
        .isEqualTo(
            new Principal(
                "acme",
                "7",
                true,
                java.util.Set.of("a", "b"),
                "a",
                NOW.plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    assertThat(refusal(custom, hs256(claims().build())).getMessage()).contains("uid");
  }

  @Test
  void aTokenWhoseNotBeforeIsNowIsValid() {
    Principal p = verifier.verify(hs256(claims().notBeforeTime(Date.from(NOW)).build()));

    assertThat(p.userId()).isEqualTo("u-42");
  }

  @Test
  void aTokenMintedByTheProjectsMinterIsAccepted() {
    JwtTokenVerifier realTime = new JwtTokenVerifier(SECRET, Clock.systemUTC());
    String token =
        new TokenMinter(SECRET).mint("acme", "7", false, List.of("console"), Duration.ofMinutes(5));

    Principal p = realTime.verify(token);

    assertThat(p.tenantCode()).isEqualTo("acme");
    assertThat(p.userId()).isEqualTo("7");
    assertThat(p.appCodes()).containsExactly("console");
  }

  // ---- 100002 / 100003 -----------------------------------------------------------------------

  @Test
  void anExpiredTokenIs100002() {
    ThingPushException e =
        refusal(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(1))).build()));

    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
    assertThat(e.code().code()).isEqualTo(100002);
  }

  @Test
  void aTokenIsExpiredAtItsExpiryInstant() {
    assertThat(refusal(hs256(claims().expirationTime(Date.from(NOW)).build())).code())
        .isEqualTo(ErrorCode.TOKEN_EXPIRED);
  }

  @Test
  void aTokenNotYetValidIs100003() {
    ThingPushException e =
        refusal(hs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(30))).build()));

    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_NOT_YET_VALID);
    assertThat(e.code().code()).isEqualTo(100003);
  }

  // ---- 100004 --------------------------------------------------------------------------------

  @Test
  void somethingThatIsNotAJwtIs100004() {
    for (String token : List.of("abc", "a.b.c", "not-a-token-at-all", "{}")) {
      assertThat(refusal(token).code()).as(token).isEqualTo(ErrorCode.TOKEN_MALFORMED);
    }
  }

  @Test
  void algNoneIs100004() {
    String token = new PlainJWT(claims().build()).serialize();

    assertThat(refusal(token).code()).isEqualTo(ErrorCode.TOKEN_MALFORMED);
  }

  @Test
  void anHs256HeaderWithoutSignatureIsRefused() {
    String signed = hs256(claims().build());
    String unsigned = signed.substring(0, signed.lastIndexOf('.') + 1);

    assertThat(refusal(unsigned).code()).isIn(ErrorCode.TOKEN_MALFORMED, ErrorCode.TOKEN_INVALID);
  }

  @Test
  void hs512Is100004EvenWithTheRightSecret() throws Exception {
    String secret64 = SECRET + SECRET; // HS512 needs 512 bits
    String token =
        sign(
            JWSAlgorithm.HS512,
            new MACSigner(secret64.getBytes(StandardCharsets.UTF_8)),
            claims().build());

    assertThat(refusal(token).code()).isEqualTo(ErrorCode.TOKEN_MALFORMED);
  }

  @Test
  void rs256Is100004() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    RSAPrivateKey key = (RSAPrivateKey) generator.generateKeyPair().getPrivate();
    String token = sign(JWSAlgorithm.RS256, new RSASSASigner(key), claims().build());

    assertThat(refusal(token).code()).isEqualTo(ErrorCode.TOKEN_MALFORMED);
  }

  // ---- 100005 --------------------------------------------------------------------------------

  @Test
  void aMissingTokenIs100005() {
    assertThat(refusal(null).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(refusal("").code()).isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void aTokenSignedWithAnotherSecretIs100005() {
    String token = hs256("another-secret-that-is-also-32-bytes-long", claims().build());

    assertThat(refusal(token).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void aTamperedPayloadIs100005() {
    String token = hs256(claims().build());
    String[] parts = token.split("\\.");
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                "{\"tenantCode\":\"default\",\"userID\":\"u-42\",\"isAdmin\":true}"
                    .getBytes(StandardCharsets.UTF_8));

    assertThat(refusal(parts[0] + "." + forged + "." + parts[2]).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void aBadSignatureIsReportedBeforeExpiry() {
    String token =
        hs256(
            "another-secret-that-is-also-32-bytes-long",
            claims().expirationTime(Date.from(NOW.minusSeconds(60))).build());

    assertThat(refusal(token).code()).isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void anEmptyOrNonStringTenantCodeIs100005() {
    assertThat(refusal(hs256(claims().claim("tenantCode", "").build())).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(refusal(hs256(claims().claim("tenantCode", 7).build())).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void aMissingOrWrongTypedUserIdIs100005() {
    assertThat(refusal(hs256(claims().claim("userID", null).build())).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(refusal(hs256(claims().claim("userID", "").build())).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(refusal(hs256(claims().claim("userID", List.of("u")).build())).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
  }

  @Test
  void wrongTypedIsAdminOrAppCodesIs100005() {
    assertThat(refusal(hs256(claims().claim("isAdmin", "true").build())).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
    assertThat(refusal(hs256(claims().claim("appCodes", "dashboard").build())).code())
        .isEqualTo(ErrorCode.TOKEN_INVALID);
  }
}
