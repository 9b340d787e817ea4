package io.thingpush.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;

/**
 * The JSON body of an admin write, read with the same rules as an import entry (ids, names,
 * lengths, unknown keys); {@link #check()} throws every problem at once as a
 * {@link RegistryImportException} whose paths are the body's keys.
 */
final class RequestBody {
  private final ImportProblems problems = new ImportProblems();
  private final JsonFields fields = new JsonFields(problems);
  private final JsonNode json;

  RequestBody(JsonNode json, List<String> allowedKeys) {
    this.json = json == null ? NullNode.instance : json;
    if (!this.json.isObject()) {
      problems.add("$", "the body must be a JSON object, not " + JsonFields.kind(this.json));
      problems.throwIfAny();
    }
    fields.onlyKeys(this.json, "", allowedKeys);
  }

  String id(String key) {
    return fields.id(json, "", key);
  }

  String optionalId(String key) {
    return fields.optionalId(json, "", key);
  }

  String name(String key) {
    return fields.name(json, "", key);
  }

  String userId(String key) {
    return fields.userId(json, "", key);
  }

  boolean flag(String key) {
    return fields.flag(json, "", key);
  }

  /** The thing model: required, checked like an import's (by the validator of the ingest). */
  JsonNode thingModel(String key) {
    JsonNode model = json.get(key);
    if (model == null || model.isNull()) {
      problems.add(key, "is missing (use {} for a product without a model)");
      return null;
    }
    fields.thingModel(model, key);
    return model;
  }

  /** @throws RegistryImportException listing every problem found */
  void check() {
    problems.throwIfAny();
  }
}
