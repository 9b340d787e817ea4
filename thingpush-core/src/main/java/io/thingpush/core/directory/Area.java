package io.thingpush.core.directory;

import java.util.Objects;

/**
 * An area of a project; areas form a tree per project. {@code id} is unique across the
 * installation; {@code parentId} is null at the root of the project.
 */
public record Area(String id, String projectId, String parentId, String name) {
  public Area {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(name, "name");
  }
}
