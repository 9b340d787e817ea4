package io.thingpush.server.cli;

import io.thingpush.server.config.ConfigException;
import io.thingpush.server.config.ThingPushConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * What the demo signs and checks with — its HS256 secret, its publish key, its platform admin —
 * made on its first start and kept in {@code data/demo.yaml}, beside the demo's registry, so that
 * the tokens and keys it printed stay valid across restarts. The file is a config file: other
 * commands read it with {@code -c} ({@code token}, {@code reload}).
 */
record DemoSecrets(String secret, String publishKey, ThingPushConfig.PlatformAdmin admin) {
  static final Path FILE = Path.of("data", "demo.yaml");
  private static final ThingPushConfig.PlatformAdmin ADMIN =
      new ThingPushConfig.PlatformAdmin("default", "admin");

  /** The secrets of {@code file}, made and written there first when it does not exist. */
  static DemoSecrets of(Path file) {
    if (!Files.exists(file)) {
      write(file, new DemoSecrets(randomHex(32), "demo-" + randomHex(12), ADMIN));
    }
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw ConfigException.cannotRead(file.toString(), file, e);
    }
    ThingPushConfig config;
    try {
      config = ThingPushConfig.parse(yaml, Map.of());
    } catch (ConfigException e) {
      throw new ConfigException(file + ": " + e.getMessage() + " (delete the file for a new one)");
    }
    if (config.auth().hs256Secret().isEmpty()
        || config.publish().keys().isEmpty()
        || config.auth().platformAdmins().isEmpty()) {
      throw new ConfigException(
          file
              + ": needs auth.hs256Secret, auth.platformAdmins and publish.keys "
              + "(delete the file for a new one)");
    }
    return new DemoSecrets(
        config.auth().hs256Secret(),
        config.publish().keys().get(0).key(),
        config.auth().platformAdmins().get(0));
  }

  /** {@code config} with these secrets wherever it has none of its own. */
  ThingPushConfig applyTo(ThingPushConfig config) {
    ThingPushConfig applied = config;
    if (applied.auth().hs256Secret().isEmpty()) {
      applied = applied.withSecret(secret);
    }
    if (applied.publish().keys().isEmpty()) {
      applied = applied.withPublishKey(new ThingPushConfig.PublishKey(publishKey, null));
    }
    if (!applied.auth().platformAdmins().contains(admin)) {
      applied = applied.withPlatformAdmin(admin);
    }
    return applied;
  }

  private static void write(Path file, DemoSecrets secrets) {
    String yaml =
        String.format(
            Locale.ROOT,
            """
        # Made by `thingpush serve --demo` on its first start and read at every start after, so that the
        # tokens and the key it prints stay valid across restarts (delete this file for new ones). It is a
        # config file: other commands take it with -c, e.g. `thingpush token -c data/demo.yaml --user admin`.
        auth:
          hs256Secret: "%s"
          platformAdmins: [{tenant: "%s", userID: "%s"}]
        publish:
          keys: [{key: "%s"}]
        """,
            secrets.secret(),
            secrets.admin().tenant(),
            secrets.admin().userID(),
            secrets.publishKey());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file); // no such permissions here (Windows): the folder's apply
      }
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot write " + file + " (the demo keeps its secret there): " + e.getMessage());
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
