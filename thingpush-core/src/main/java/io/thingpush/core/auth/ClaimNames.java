package io.thingpush.core.auth;

import java.util.List;

/**
 * Where a token's claims are read: for each, the claim names tried in order, the first present
 * one counting. The defaults read ThingPush's own tokens and i-Things' login tokens
 * ({@code UserID}, {@code AppCode}, no tenant).
 */
public record ClaimNames(
    List<String> userId,
    List<String> tenantCode,
    List<String> admin,
    List<String> appCodes,
    List<String> appCode) {

  public static final ClaimNames DEFAULT =
      new ClaimNames(
          List.of("userID", "UserID"),
          List.of("tenantCode"),
          List.of("isAdmin"),
          List.of("appCodes"),
          List.of("AppCode"));

  public ClaimNames {
    userId = List.copyOf(userId);
    tenantCode = List.copyOf(tenantCode);
    admin = List.copyOf(admin);
    appCodes = List.copyOf(appCodes);
    appCode = List.copyOf(appCode);
  }
}
