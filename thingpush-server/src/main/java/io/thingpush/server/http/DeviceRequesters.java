package io.thingpush.server.http;

import io.thingpush.core.auth.Authoriser;
import io.thingpush.core.auth.Principal;
import io.thingpush.core.auth.TokenVerifier;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Target;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig.PublishKey;
import io.thingpush.server.publish.PublishKeys;
import io.thingpush.server.publish.RequestDevice;

/**
 * Who may call a device's actions and control its properties (docs/action-api.md): a platform
 * with a publish key, for any device of the key's tenant, on behalf of the operator it names; or
 * an app user with its own token (the one the WebSocket takes), for a device the user may read
 * (an admin, or a grant on its project, area or the device), on its own behalf.
 */
public final class DeviceRequesters {
  private static final String BEARER = "Bearer ";

  /** Who sent a request: a platform's key, or a user's verified token. */
  final class Caller {
    private final PublishKey key;
    private final Principal user;

    private Caller(PublishKey key, Principal user) {
      this.key = key;
      this.user = user;
    }

    /**
     * The requester for {@code device}, with {@code operator} the request's
     * {@code operatorUserId} (or null).
     *
     * @throws ThingPushException 100009 or 100012 for a device the user may not read, 100012 for
     *     a user naming another user as operator
     */
    Requester on(RequestDevice device, Long operator) {
      if (key != null) {
        return new Requester(key.tenant(), operator);
      }
      authoriser.checkReadable(user, Target.device(device.productId(), device.deviceName()));
      Long self = userNumber(user.userId());
      if (operator != null && !operator.equals(self)) {
        throw new ThingPushException(
            ErrorCode.FORBIDDEN, "with a user's token the operator is that user");
      }
      return new Requester(user.tenantCode(), self);
    }
  }

  /**
   * @param tenant only this tenant's devices, or null for any
   * @param operator the app user the request is made for, or null
   */
  record Requester(String tenant, Long operator) {}

  private final PublishKeys keys;
  private final TokenVerifier tokens;
  private final Authoriser authoriser;

  public DeviceRequesters(PublishKeys keys, TokenVerifier tokens, Authoriser authoriser) {
    this.keys = keys;
    this.tokens = tokens;
    this.authoriser = authoriser;
  }

  /**
   * The caller of an {@code Authorization} header: a known publish key, else a user's token.
   *
   * @throws ThingPushException 100005 without a known key or a token, the token's code for a bad token
   */
  Caller caller(String authorization) {
    PublishKey key = keys.find(authorization);
    if (key != null) {
      return new Caller(key, null);
    }
    String credential =
        authorization != null && authorization.startsWith(BEARER)
            ? authorization.substring(BEARER.length()).trim()
            : "";
    if (!looksLikeJwt(credential)) {
      throw new ThingPushException(ErrorCode.TOKEN_INVALID, "missing or unknown publish key");
    }
    return new Caller(null, tokens.verify(credential));
  }

  /** Three dot-separated parts: what is not a known key is checked as a token only in a token's form. */
  private static boolean looksLikeJwt(String credential) {
    return credential.chars().filter(c -> c == '.').count() == 2;
  }

  /** i-Things' user ids are integers: such an id is the operator of the pushes; another user's pushes carry none. */
  private static Long userNumber(String userId) {
    try {
      return userId.matches("-?[0-9]{1,19}") ? Long.valueOf(userId) : null;
    } catch (NumberFormatException tooLarge) {
      return null;
    }
  }
}
