package io.thingpush.core.thingmodel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A product's thing model, parsed (docs/thing-model.md): its properties and actions with the
 * types their values must have. Immutable; pure.
 */
public final class ThingModel {
  /** An action with its input and output parameters. */
  public record Action(
      String identifier, Map<String, DataType> input, Map<String, DataType> output) {
    /** Checks call parameters against {@link #input}; paths are parameter identifiers. */
    public List<Violation> checkInput(JsonNode params) {
      return check(input, params, "an input of action " + identifier);
    }
  }

  private final Map<String, DataType> properties;
  private final Map<String, Action> actions;

  ThingModel(Map<String, DataType> properties, Map<String, Action> actions) {
    this.properties = properties;
    this.actions = actions;
  }

  /**
   * Parses a thing model as stored in the registry.
   *
   * @throws InvalidThingModelException listing every problem, each at its path in the model
   */
  public static ThingModel parse(JsonNode model) {
    return new ThingModelParser().parse(model);
  }

  /** Properties by identifier, in model order. */
  public Map<String, DataType> properties() {
    return properties;
  }

  public Optional<Action> action(String identifier) {
    return Optional.ofNullable(actions.get(identifier));
  }

  /** Actions by identifier, in model order. */
  public Map<String, Action> actions() {
    return actions;
  }

  /**
   * Checks the {@code params} object of a property report: every key a property of the model,
   * every value of its type. Empty when the report is valid.
   */
  public List<Violation> checkProperties(JsonNode params) {
    return check(properties, params, "a property of the thing model");
  }

  private static List<Violation> check(
      Map<String, DataType> defined, JsonNode params, String what) {
    List<Violation> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      DataType type = defined.get(entry.getKey());
      if (type == null) {
        out.add(new Violation(entry.getKey(), "is not " + what));
      } else {
        type.check(entry.getValue(), entry.getKey(), out);
      }
    }
    return out;
  }
}
