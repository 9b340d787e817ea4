package io.thingpush.server.http.admin;

import io.thingpush.core.auth.Principal;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;

/**
 * Who calls the admin API and what it may manage: a platform admin (listed in
 * {@code auth.platformAdmins}) manages tenants and every tenant; a token with {@code isAdmin}
 * manages its own tenant only; anyone else nothing.
 */
record AdminCaller(Principal principal, boolean platform) {

  /** @throws ThingPushException 100012 unless the caller may manage {@code tenant} */
  void mayManage(String tenant) {
    if (platform) {
      return;
    }
    if (!principal.admin()) {
      throw new ThingPushException(ErrorCode.FORBIDDEN, "the token is not an admin's (isAdmin)");
    }
    // The same answer whether the other tenant exists or not: nothing about it is revealed.
    if (!principal.tenantCode().equals(tenant)) {
      throw new ThingPushException(
          ErrorCode.FORBIDDEN, "a tenant admin manages only its own tenant");
    }
  }

  /** @throws ThingPushException 100012 unless the caller is a platform admin */
  void mustBePlatform() {
    if (!platform) {
      throw new ThingPushException(ErrorCode.FORBIDDEN, "only a platform admin may do this");
    }
  }
}
