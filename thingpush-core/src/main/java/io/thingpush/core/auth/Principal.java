package io.thingpush.core.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who a token says the user is.
 *
 * @param appCodes the apps the token allows, or null for any app
 * @param expiresAt when the token stops being valid, or null when it never does
 */
public record Principal(
    String tenantCode, String userId, boolean admin, Set<String> appCodes, Instant expiresAt) {

  /** Whether {@code other} names the same user of the same tenant (for a token swap). */
  public boolean sameUser(Principal other) {
    return tenantCode.equals(other.tenantCode) && userId.equals(other.userId);
  }
}
