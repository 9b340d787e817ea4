package io.thingpush.core.session;

import java.util.concurrent.ConcurrentHashMap;

/** The connection quota of one node (embedded mode). */
public final class LocalConnectionQuota implements ConnectionQuota {
  private final int perUser;
  private final int perTenant;
  private final ConcurrentHashMap<String, Integer> users = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> tenants = new ConcurrentHashMap<>();

  public LocalConnectionQuota(int perUser, int perTenant) {
    this.perUser = perUser;
    this.perTenant = perTenant;
  }

  @Override
  public synchronized boolean tryAcquire(String tenantCode, String userId) {
    String user = tenantCode + "\u0000" + userId;
    if (users.getOrDefault(user, 0) >= perUser
        || tenants.getOrDefault(tenantCode, 0) >= perTenant) {
      return false;
    }
    users.merge(user, 1, Integer::sum);
    tenants.merge(tenantCode, 1, Integer::sum);
    return true;
  }

  @Override
  public synchronized void release(String tenantCode, String userId) {
    users.computeIfPresent(tenantCode + "\u0000" + userId, (k, n) -> n == 1 ? null : n - 1);
    tenants.computeIfPresent(tenantCode, (k, n) -> n == 1 ? null : n - 1);
  }

  /** Open connections of a tenant on this node. */
  public int tenantConnections(String tenantCode) {
    return tenants.getOrDefault(tenantCode, 0);
  }
}
