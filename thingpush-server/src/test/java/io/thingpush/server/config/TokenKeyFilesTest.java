package io.thingpush.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad key files stop the start with one line naming the option. */
class TokenKeyFilesTest {
  @TempDir Path dir;

  private static ThingPushConfig.Auth auth(String yaml) {
    return ThingPushConfig.parse(yaml, Map.of()).auth();
  }

  @Test
  void someKeyIsRequired() {
    assertThatThrownBy(() -> TokenKeyFiles.load(auth("")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "auth: no token key: set hs256Secret, publicKeys or jwksFile (or run `serve --demo`)");
  }

  @Test
  void aPemFileWithoutAPublicKeyIsNamed() throws Exception {
    Path pem =
        Files.writeString(
            dir.resolve("k.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(
            () -> TokenKeyFiles.load(auth("auth: {publicKeys: [{kid: k1, file: '" + pem + "'}]}")))
        .hasMessage(
            "auth.publicKeys[0].file: " + pem + " holds no -----BEGIN PUBLIC KEY----- block");
    assertThatThrownBy(
            () ->
                TokenKeyFiles.load(
                    auth("auth: {publicKeys: [{kid: k1, file: '" + dir.resolve("none") + "'}]}")))
        .hasMessageStartingWith("auth.publicKeys[0].file: cannot read ");
  }

  @Test
  void aJwksFileMustHoldPublicSigningKeys() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.jwks"), "{\"keys\": 3}");
    assertThatThrownBy(() -> TokenKeyFiles.load(auth("auth: {jwksFile: '" + bad + "'}")))
        .hasMessageStartingWith("auth.jwksFile: " + bad + " is not a JWK set");
    Path secret =
        Files.writeString(
            dir.resolve("oct.jwks"),
            "{\"keys\": [{\"kty\": \"oct\", \"kid\": \"s\", \"k\": \"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA\"}]}");
    assertThatThrownBy(() -> TokenKeyFiles.load(auth("auth: {jwksFile: '" + secret + "'}")))
        .hasMessage("auth.jwksFile keys[0]: only RSA and EC public keys belong in the JWKS file");
  }

  @Test
  void secretsAreLoadedInOrder() {
    var keys =
        TokenKeyFiles.load(
            auth(
                "auth: {hs256Secret: 'current-secret-0123456789-0123456789',"
                    + " previousHs256Secret: 'previous-secret-0123456789-0123456789'}"));
    assertThat(keys.hmacSecrets()).hasSize(2);
    assertThatThrownBy(() -> auth("auth: {previousHs256Secret: short}"))
        .hasMessage("auth.previousHs256Secret: must be at least 32 bytes");
  }
}
