package io.thingpush.server.http.admin;

import io.thingpush.core.auth.Principal;
import io.thingpush.core.auth.TokenVerifier;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig.PlatformAdmin;
import java.util.List;

/** Turns the {@code Authorization: Bearer <JWT>} of an admin request into its caller. */
final class AdminAuth {
  private static final String BEARER = "Bearer ";

  private final TokenVerifier tokens;
  private final List<PlatformAdmin> platformAdmins;

  AdminAuth(TokenVerifier tokens, List<PlatformAdmin> platformAdmins) {
    this.tokens = tokens;
    this.platformAdmins = List.copyOf(platformAdmins);
  }

  /** @throws ThingPushException with the token's code (100002–100005) when it is not valid */
  AdminCaller caller(String authorization) {
    if (authorization == null || !authorization.startsWith(BEARER)) {
      throw new ThingPushException(
          ErrorCode.TOKEN_INVALID, "Authorization: Bearer <token> missing");
    }
    Principal principal = tokens.verify(authorization.substring(BEARER.length()).trim());
    return new AdminCaller(principal, platform(principal));
  }

  boolean platform(Principal principal) {
    return platformAdmins.stream()
        .anyMatch(
            a ->
                a.tenant().equals(principal.tenantCode()) && a.userID().equals(principal.userId()));
  }
}
