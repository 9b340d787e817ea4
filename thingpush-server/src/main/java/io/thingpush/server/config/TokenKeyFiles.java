package io.thingpush.server.config;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import io.thingpush.core.auth.TokenKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the token keys of {@code auth.*}: secrets, PEM files and a JWKS file; a bad one fails the start. */
public final class TokenKeyFiles {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  private TokenKeyFiles() {}

  /**
   * @throws ConfigException naming the option of a file that cannot be read or holds no usable
   *     key, or when no key is configured at all
   */
  public static TokenKeys load(ThingPushConfig.Auth auth) {
    TokenKeys keys = TokenKeys.none();
    if (!isBlank(auth.hs256Secret())) {
      keys = keys.withHs256(auth.hs256Secret());
    }
    if (!isBlank(auth.previousHs256Secret())) {
      keys = keys.withHs256(auth.previousHs256Secret());
    }
    List<ThingPushConfig.PublicKeyFile> files = auth.publicKeys();
    for (int i = 0; i < files.size(); i++) {
      String option = "auth.publicKeys[" + i + "]";
      PublicKey key = pem(Path.of(files.get(i).file()), option + ".file");
      keys = withKey(keys, files.get(i).kid(), key, option);
    }
    if (auth.jwksFile() != null) {
      keys = jwks(keys, Path.of(auth.jwksFile()));
    }
    if (keys.isEmpty()) {
      throw new ConfigException(
          "auth: no token key: set hs256Secret, publicKeys or jwksFile (or run `serve --demo`)");
    }
    return keys;
  }

  private static PublicKey pem(Path file, String option) {
    Matcher m = PEM.matcher(read(file, option));
    if (!m.find()) {
      throw new ConfigException(
          option + ": " + file + " holds no -----BEGIN PUBLIC KEY----- block");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not a key of this algorithm: try the next
      }
    }
    throw new ConfigException(option + ": " + file + " is neither an RSA nor an EC public key");
  }

  private static TokenKeys jwks(TokenKeys keys, Path file) {
    String option = "auth.jwksFile";
    JWKSet set;
    try {
      set = JWKSet.parse(read(file, option));
    } catch (ParseException e) {
      throw new ConfigException(option + ": " + file + " is not a JWK set: " + e.getMessage());
    }
    List<JWK> jwks = set.getKeys();
    for (int i = 0; i < jwks.size(); i++) {
      JWK jwk = jwks.get(i);
      String where = option + " keys[" + i + "]";
      if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
        continue; // not a signing key
      }
      if (!(jwk instanceof AsymmetricJWK asymmetric) || jwk.isPrivate()) {
        throw new ConfigException(where + ": only RSA and EC public keys belong in the JWKS file");
      }
      PublicKey key;
      try {
        key = asymmetric.toPublicKey();
      } catch (JOSEException e) {
        throw new ConfigException(where + ": " + e.getMessage());
      }
      TokenKeys next = withKey(keys, jwk.getKeyID(), key, where);
      String declared = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
      String actual = next.publicKeys().get(next.publicKeys().size() - 1).algorithm().name();
      if (declared != null && !declared.equals(actual)) {
        throw new ConfigException(
            where + ": alg " + declared + " does not fit a key for " + actual);
      }
      keys = next;
    }
    return keys;
  }

  private static TokenKeys withKey(TokenKeys keys, String kid, PublicKey key, String option) {
    try {
      return keys.withPublicKey(kid, key);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + ": " + e.getMessage());
    }
  }

  private static String read(Path file, String option) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw ConfigException.cannotRead(option, file, e);
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }
}
