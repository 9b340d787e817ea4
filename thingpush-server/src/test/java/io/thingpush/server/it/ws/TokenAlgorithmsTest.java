package io.thingpush.server.it.ws;

import static io.thingpush.server.it.AdminClient.ok;
import static io.thingpush.server.it.AdminClient.refused;
import static io.thingpush.server.it.ws.ConnectTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.thingpush.client.Connection;
import io.thingpush.server.it.AdminClient;
import io.thingpush.server.it.TestServer;
import io.thingpush.server.it.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens beyond HS256 through real connections and the admin API: an RS256 key from a PEM
 * file, RS256 and ES256 keys from a JWKS file chosen by kid, the previous HS256 secret during a
 * rotation, and the refusals (none, unknown kid, wrong key, HS/RS confusion).
 */
class TokenAlgorithmsTest {
  private static final String PREVIOUS_SECRET = "thingpush-it-previous-secret-0123456789";
  private static final KeyPair PEM_RSA = generate("RSA");
  private static final KeyPair JWKS_RSA = generate("RSA");
  private static final KeyPair JWKS_EC = generateEc();
  private static Path keys;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    keys = Files.createTempDirectory("thingpush-keys");
    Path pem = keys.resolve("pem-rsa.pem");
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(PEM_RSA.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    Path jwks = keys.resolve("keys.jwks");
    Files.writeString(
        jwks,
        new JWKSet(
                List.of(
                    new RSAKey.Builder((RSAPublicKey) JWKS_RSA.getPublic())
                        .keyID("rsa-2026")
                        .build(),
                    new ECKey.Builder(Curve.P_256, (ECPublicKey) JWKS_EC.getPublic())
                        .keyID("ec-2026")
                        .build()))
            .toString());
    server =
        TestServer.start(
            config ->
                config
                    .get("auth")
                    .putAll(
                        Map.of(
                            "previousHs256Secret", PREVIOUS_SECRET,
                            "publicKeys",
                                List.of(Map.of("kid", "pem-2025", "file", pem.toString())),
                            "jwksFile", jwks.toString())));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    try (var files = Files.list(keys)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(keys);
  }

  @AfterEach
  void closeClients() {
    server.closeClients();
  }

  @Test
  void eachConfiguredKindOfKeyConnects() {
    for (String token :
        List.of(
            sign(JWSAlgorithm.RS256, new RSASSASigner(PEM_RSA.getPrivate()), "pem-2025"),
            sign(JWSAlgorithm.RS256, new RSASSASigner(JWKS_RSA.getPrivate()), "rsa-2026"),
            sign(JWSAlgorithm.ES256, ecSigner(), "ec-2026"),
            sign(JWSAlgorithm.ES256, ecSigner(), null),
            server.tokenOf("alice"),
            server.token("alice").signedWith(PREVIOUS_SECRET).sign())) {
      Connection c = server.connect(server.options().token(token).build());
      assertThat(c.accepted()).as("%s: %s", token, c.hello()).isTrue();
    }
  }

  @Test
  void refusedTokensCloseWithTheirCode() {
    assertRefused(
        connect(sign(JWSAlgorithm.RS256, new RSASSASigner(JWKS_RSA.getPrivate()), "rsa-2019")),
        100005,
        4001);
    assertRefused(
        connect(
            sign(JWSAlgorithm.RS256, new RSASSASigner(generate("RSA").getPrivate()), "rsa-2026")),
        100005,
        4001);
    assertRefused(
        connect(sign(JWSAlgorithm.RS256, new RSASSASigner(JWKS_RSA.getPrivate()), "pem-2025")),
        100005,
        4001);
    assertRefused(connect(server.token("alice").unsigned()), 100004, 4001);
    assertRefused(
        connect(server.token("alice").signedWith("a-secret-retired-two-rotations-ago!!").sign()),
        100005,
        4001);
  }

  /** HS256 "signed" with a published RSA public key as the secret, naming that key. */
  @Test
  void hsRsConfusionIsRefused() throws Exception {
    String forged =
        sign(JWSAlgorithm.HS256, new MACSigner(JWKS_RSA.getPublic().getEncoded()), "rsa-2026");

    assertRefused(connect(forged), 100004, 4001);
    refused(new AdminClient(server, forged).get("/tenants/default/projects"), 401, 100004);
  }

  @Test
  void theAdminApiTakesTheSameTokens() {
    String rs256Admin =
        sign(JWSAlgorithm.RS256, new RSASSASigner(JWKS_RSA.getPrivate()), "rsa-2026", true);
    ok(new AdminClient(server, rs256Admin).get("/tenants/default/projects"), 200);
  }

  private Connection connect(String token) {
    return server.connect(server.options().token(token).build());
  }

  private static ECDSASigner ecSigner() {
    try {
      return new ECDSASigner((ECPrivateKey) JWKS_EC.getPrivate());
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static String sign(JWSAlgorithm alg, JWSSigner signer, String kid) {
    return sign(alg, signer, kid, false);
  }

  private static String sign(JWSAlgorithm alg, JWSSigner signer, String kid, boolean admin) {
    Tokens.Builder claims = server.token("alice");
    if (admin) {
      claims.admin();
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims.claims());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
    return jwt.serialize();
  }

  private static KeyPair generate(String algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static KeyPair generateEc() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
