package io.thingpush.core.auth;

import com.nimbusds.jose.jwk.Curve;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys tokens may be signed with: HS256 secrets (the current one and, during a rotation, the
 * previous one) and RS256/ES256 public keys, each optionally named by a {@code kid}. Immutable;
 * the files they come from are read at the edge.
 */
public final class TokenKeys {
  /** The algorithms a token may use; anything else (none, HS512, PS256…) is refused. */
  public enum Algorithm {
    HS256,
    RS256,
    ES256
  }

  /** A public key and the one algorithm it verifies; {@code kid} null when it has no name. */
  public record PublicKeyEntry(String kid, Algorithm algorithm, PublicKey key) {
    public PublicKeyEntry {
      Objects.requireNonNull(algorithm, "algorithm");
      Objects.requireNonNull(key, "key");
    }
  }

  private final List<byte[]> hmacSecrets;
  private final List<PublicKeyEntry> publicKeys;

  private TokenKeys(List<byte[]> hmacSecrets, List<PublicKeyEntry> publicKeys) {
    this.hmacSecrets = hmacSecrets;
    this.publicKeys = publicKeys;
  }

  public static TokenKeys none() {
    return new TokenKeys(List.of(), List.of());
  }

  /** Keys with one HS256 secret. */
  public static TokenKeys hs256(String secret) {
    return none().withHs256(secret);
  }

  /** Also accepts HS256 tokens signed with {@code secret} (tried after the ones before it). */
  public TokenKeys withHs256(String secret) {
    List<byte[]> secrets = new ArrayList<>(hmacSecrets);
    secrets.add(secret.getBytes(StandardCharsets.UTF_8));
    return new TokenKeys(List.copyOf(secrets), publicKeys);
  }

  /**
   * Also accepts tokens signed by the private half of {@code key}: RS256 for an RSA key, ES256
   * for an EC key on P-256.
   *
   * @throws IllegalArgumentException for any other kind of key, or a kid already used
   */
  public TokenKeys withPublicKey(String kid, PublicKey key) {
    if (kid != null && publicKeys.stream().anyMatch(k -> kid.equals(k.kid()))) {
      throw new IllegalArgumentException("kid " + kid + " is used by two keys");
    }
    List<PublicKeyEntry> keys = new ArrayList<>(publicKeys);
    keys.add(new PublicKeyEntry(kid, algorithmOf(key), key));
    return new TokenKeys(hmacSecrets, List.copyOf(keys));
  }

  public List<byte[]> hmacSecrets() {
    return hmacSecrets;
  }

  public List<PublicKeyEntry> publicKeys() {
    return publicKeys;
  }

  public boolean isEmpty() {
    return hmacSecrets.isEmpty() && publicKeys.isEmpty();
  }

  private static Algorithm algorithmOf(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return Algorithm.RS256;
    }
    if (key instanceof ECPublicKey ec
        && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
      return Algorithm.ES256;
    }
    throw new IllegalArgumentException(
        "only RSA keys (RS256) and EC keys on P-256 (ES256) are supported, not "
            + key.getAlgorithm());
  }
}
