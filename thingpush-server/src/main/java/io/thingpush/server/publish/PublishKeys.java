package io.thingpush.server.publish;

import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig.PublishKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** The publish keys that authenticate the platform APIs ({@code Authorization: Bearer <key>}). */
public final class PublishKeys {
  private static final String BEARER = "Bearer ";

  private final List<PublishKey> keys;
  // Each key's bytes, in the order of keys: encoded once rather than on every request.
  private final byte[][] encoded;

  public PublishKeys(List<PublishKey> keys) {
    this.keys = keys;
    this.encoded =
        keys.stream().map(k -> k.key().getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  /**
   * The key of an {@code Authorization} header.
   *
   * @throws ThingPushException 100005 when it is missing or unknown
   */
  public PublishKey authenticate(String header) {
    PublishKey key = find(header);
    if (key == null) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "missing or unknown publish key");
    }
    return key;
  }

  /** The key of an {@code Authorization} header, or null when it names none. */
  public PublishKey find(String header) {
    if (header != null && header.startsWith(BEARER)) {
      byte[] given = header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < encoded.length; i++) {
        if (MessageDigest.isEqual(given, encoded[i])) {
          return keys.get(i);
        }
      }
    }
    return null;
  }
}
