package io.thingpush.core.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who a token says the user is.
 *
 * @param tenantCode the user's tenant; null only as a token read it, before the registry's users
 *     complete it ({@link UserTokens})
 * @param appCodes the apps the token allows, or null for any app
 * @param appCode the one app the token was issued for (i-Things' {@code AppCode}), or null for any
 * @param expiresAt when the token stops being valid, or null when it never does
 * @param registered whether tenant and admin flag are the registry's (a token without a tenant)
 */
public record Principal(
    String tenantCode,
    String userId,
    boolean admin,
    Set<String> appCodes,
    String appCode,
    Instant expiresAt,
    boolean registered) {

  /** A principal whose claims are all the token's own. */
  public Principal(
      String tenantCode,
      String userId,
      boolean admin,
      Set<String> appCodes,
      String appCode,
      Instant expiresAt) {
    this(tenantCode, userId, admin, appCodes, appCode, expiresAt, false);
  }

  /** Whether {@code other} names the same user of the same tenant (for a token swap). */
  public boolean sameUser(Principal other) {
    return tenantCode.equals(other.tenantCode) && userId.equals(other.userId);
  }

  /** Whether the token allows {@code app}: in its {@code appCodes}, and its {@code AppCode} when it has one. */
  public boolean allowsApp(String app) {
    return (appCodes == null || appCodes.contains(app)) && (appCode == null || appCode.equals(app));
  }

  /** This principal with other instances of equal names. */
  public Principal named(String sameTenant, String sameUser) {
    return new Principal(sameTenant, sameUser, admin, appCodes, appCode, expiresAt, registered);
  }

  /** This principal in {@code tenant}, with the registry's admin flag. */
  public Principal registered(String tenant, boolean isAdmin) {
    return new Principal(tenant, userId, isAdmin, appCodes, appCode, expiresAt, true);
  }
}
