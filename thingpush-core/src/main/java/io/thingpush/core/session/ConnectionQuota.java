package io.thingpush.core.session;

/** Counts open connections per user and per tenant against the limits of SPEC §6. */
public interface ConnectionQuota {
  /** Takes one connection for the user; false when a limit would be passed. */
  boolean tryAcquire(String tenantCode, String userId);

  void release(String tenantCode, String userId);
}
