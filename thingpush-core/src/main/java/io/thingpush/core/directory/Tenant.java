package io.thingpush.core.directory;

import java.util.Objects;

/** A tenant: the unit of isolation; nothing of one tenant is ever visible to another. */
public record Tenant(String code, String name) {
  public Tenant {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(name, "name");
  }
}
