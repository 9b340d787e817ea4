package io.thingpush.core.directory;

import java.util.Objects;

/** A project of one tenant; {@code id} is unique across the installation. */
public record Project(String id, String tenantCode, String name) {
  public Project {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantCode, "tenantCode");
    Objects.requireNonNull(name, "name");
  }
}
