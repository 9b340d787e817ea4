package io.thingpush.server.publish;

import io.thingpush.server.config.ThingPushConfig.PublishKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Idempotency-Key} a platform sends with a publish (docs/publish-api.md#retries): 1 to
 * 255 visible ASCII characters, kept by the event log within the tenant of the publish key, so
 * that one tenant's keys never drop another tenant's events.
 */
public final class IdempotencyKeys {
  /** The header's name, over HTTP and NATS alike (in any case). */
  public static final String HEADER = "Idempotency-Key";

  private static final int MAX_LENGTH = 255;

  private IdempotencyKeys() {}

  /**
   * The key as the event log keeps it, or null when the request has none.
   *
   * @throws io.thingpush.protocol.ThingPushException 100006 when the key is malformed
   */
  static String scoped(PublishKey publishKey, String given) {
    if (given == null) {
      return null;
    }
    if (given.isEmpty()
        || given.length() > MAX_LENGTH
        || !given.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw PlatformPublish.bad(
          HEADER + " must be 1 to " + MAX_LENGTH + " visible ASCII characters");
    }
    // Encoded, the tenant holds no ':', so no two tenants' keys can meet; a key of every tenant has
    // "".
    String tenant =
        publishKey.tenant() == null
            ? ""
            : URLEncoder.encode(publishKey.tenant(), StandardCharsets.UTF_8);
    return tenant + ":" + given;
  }
}
