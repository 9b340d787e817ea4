package io.thingpush.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of a thing model that the registry insists on: an object whose optional
 * {@code properties}, {@code actions} and {@code events} are arrays of objects with unique,
 * non-empty identifiers, each property with a known {@code type}. What a type allows (ranges,
 * enum keys, struct fields…) is checked by the thing-model validator, not here.
 */
final class ThingModelShape {
  static final List<String> PROPERTY_TYPES =
      List.of("bool", "int", "float", "enum", "string", "timestamp", "struct", "array");

  private final JsonFields fields;
  private final ImportProblems problems;

  ThingModelShape(ImportProblems problems) {
    this.problems = problems;
    this.fields = new JsonFields(problems);
  }

  void check(JsonNode model, String path) {
    if (!fields.isObject(model, path)) {
      return;
    }
    List<JsonNode> properties = fields.array(model, path, "properties");
    checkItems(properties, JsonFields.at(path, "properties"), true);
    checkItems(fields.array(model, path, "actions"), JsonFields.at(path, "actions"), false);
    checkItems(fields.array(model, path, "events"), JsonFields.at(path, "events"), false);
  }

  private void checkItems(List<JsonNode> items, String path, boolean typed) {
    Set<String> identifiers = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = JsonFields.at(path, i);
      JsonNode item = items.get(i);
      if (!fields.isObject(item, itemPath)) {
        continue;
      }
      String identifier = identifier(item, itemPath);
      if (identifier != null && !identifiers.add(identifier)) {
        problems.add(
            JsonFields.at(itemPath, "identifier"), "duplicate identifier " + identifier);
      }
      if (typed) {
        checkType(item, itemPath);
      }
    }
  }

  private String identifier(JsonNode item, String itemPath) {
    JsonNode value = item.get("identifier");
    String path = JsonFields.at(itemPath, "identifier");
    if (value == null || value.isNull()) {
      problems.add(path, "is missing");
      return null;
    }
    if (!value.isTextual() || value.textValue().isEmpty()) {
      problems.add(path, "must be a non-empty string");
      return null;
    }
    return value.textValue();
  }

  private void checkType(JsonNode property, String itemPath) {
    JsonNode type = property.get("type");
    String path = JsonFields.at(itemPath, "type");
    if (type == null || type.isNull()) {
      problems.add(path, "is missing");
    } else if (!type.isTextual() || !PROPERTY_TYPES.contains(type.textValue())) {
      problems.add(path, "must be one of " + String.join(", ", PROPERTY_TYPES));
    }
  }
}
