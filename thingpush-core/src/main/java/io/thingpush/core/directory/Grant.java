package io.thingpush.core.directory;

import java.util.Objects;

/**
 * Read access of one user to a whole project ({@code areaId} null) or to one area of it, sub-areas
 * included.
 */
public record Grant(String tenantCode, String userId, String projectId, String areaId) {
  public Grant {
    Objects.requireNonNull(tenantCode, "tenantCode");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(projectId, "projectId");
  }
}
