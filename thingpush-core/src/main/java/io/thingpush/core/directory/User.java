package io.thingpush.core.directory;

import java.util.Objects;

/**
 * A user the registry knows: what a token without a tenant claim (an i-Things login token) is
 * checked against. {@code userId} is unique across the installation, as i-Things' user ids are.
 */
public record User(String userId, String tenantCode, boolean admin) {
  public User {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(tenantCode, "tenantCode");
  }
}
