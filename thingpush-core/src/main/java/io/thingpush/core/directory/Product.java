package io.thingpush.core.directory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A product of one tenant with its thing model (a JSON object, see docs/registry.md); {@code id}
 * is unique across the installation. The node must not be modified once in a Directory.
 */
public record Product(String id, String tenantCode, String name, JsonNode thingModel) {
  public Product {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantCode, "tenantCode");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(thingModel, "thingModel");
  }
}
