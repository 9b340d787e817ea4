package io.thingpush.core.thingmodel;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a thing model and checks it is one (docs/thing-model.md): known keys only, identifiers
 * unique, each type with the fields it allows and sensible values. One pass collects every
 * problem with its path, so an import can report them all.
 */
final class ThingModelParser {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern INTEGER_KEY = Pattern.compile("-?[0-9]{1,18}");
  private static final List<String> TYPES =
      List.of("bool", "int", "float", "enum", "string", "timestamp", "struct", "array");
  private static final List<String> EVENT_TYPES = List.of("info", "alert", "fault");
  private static final List<String> NAMED = List.of("identifier", "name", "desc");

  private final List<Violation> problems = new ArrayList<>();

  ThingModel parse(JsonNode model) {
    Map<String, DataType> properties = Map.of();
    Map<String, ThingModel.Action> actions = new LinkedHashMap<>();
    if (object(model, "")) {
      onlyKeys(model, "", List.of("properties", "actions", "events"));
      properties = params(model.get("properties"), "properties");
      List<JsonNode> actionNodes = items(model.get("actions"), "actions");
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < actionNodes.size(); i++) {
        ThingModel.Action action = action(actionNodes.get(i), "actions[" + i + "]", seen);
        if (action != null) {
          actions.put(action.identifier(), action);
        }
      }
      List<JsonNode> events = items(model.get("events"), "events");
      seen.clear();
      for (int i = 0; i < events.size(); i++) {
        event(events.get(i), "events[" + i + "]", seen);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidThingModelException(problems);
    }
    return new ThingModel(properties, Collections.unmodifiableMap(actions));
  }

  private ThingModel.Action action(JsonNode node, String path, List<String> seen) {
    if (!object(node, path)) {
      return null;
    }
    onlyKeys(node, path, List.of("identifier", "name", "desc", "input", "output"));
    String identifier = identifier(node, path, seen);
    Map<String, DataType> input = params(node.get("input"), path + ".input");
    Map<String, DataType> output = params(node.get("output"), path + ".output");
    name(node, path);
    return identifier == null ? null : new ThingModel.Action(identifier, input, output);
  }

  private void event(JsonNode node, String path, List<String> seen) {
    if (!object(node, path)) {
      return;
    }
    onlyKeys(node, path, List.of("identifier", "name", "desc", "type", "params"));
    identifier(node, path, seen);
    name(node, path);
    JsonNode type = node.get("type");
    if (type != null && !(type.isTextual() && EVENT_TYPES.contains(type.textValue()))) {
      problems.add(
          new Violation(path + ".type", "must be one of " + String.join(", ", EVENT_TYPES)));
    }
    params(node.get("params"), path + ".params");
  }

  /** A list of named, typed definitions (properties, parameters, struct fields) by identifier. */
  private Map<String, DataType> params(JsonNode list, String path) {
    Map<String, DataType> params = new LinkedHashMap<>();
    List<JsonNode> nodes = items(list, path);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonNode node = nodes.get(i);
      String itemPath = path + "[" + i + "]";
      if (!object(node, itemPath)) {
        continue;
      }
      String identifier = identifier(node, itemPath, seen);
      name(node, itemPath);
      DataType type = type(node, itemPath, NAMED);
      if (identifier != null && type != null) {
        params.put(identifier, type);
      }
    }
    return Collections.unmodifiableMap(params);
  }

  /** The type of a definition; {@code extraKeys} are the keys allowed besides the type's own. */
  private DataType type(JsonNode node, String path, List<String> extraKeys) {
    JsonNode type = node.get("type");
    if (type == null || type.isNull()) {
      problems.add(new Violation(path + ".type", "is missing"));
      return null;
    }
    if (!type.isTextual() || !TYPES.contains(type.textValue())) {
      problems.add(new Violation(path + ".type", "must be one of " + String.join(", ", TYPES)));
      return null;
    }
    List<String> allowed = new ArrayList<>(extraKeys);
    allowed.add("type");
    allowed.addAll(
        switch (type.textValue()) {
          case "int", "float" -> List.of("min", "max", "step", "unit");
          case "bool", "enum" -> List.of("mapping");
          case "string" -> List.of("maxLength");
          case "struct" -> List.of("fields");
          case "array" -> List.of("items", "maxItems");
          default -> List.of();
        });
    onlyKeys(node, path, allowed);
    return switch (type.textValue()) {
      case "bool" -> new DataType.Bool(boolMapping(node.get("mapping"), path + ".mapping"));
      case "int" -> numeric(node, path, true);
      case "float" -> numeric(node, path, false);
      case "enum" -> enumeration(node.get("mapping"), path + ".mapping");
      case "string" -> new DataType.Text(positive(node.get("maxLength"), path + ".maxLength"));
      case "timestamp" -> new DataType.Timestamp();
      case "struct" -> struct(node.get("fields"), path + ".fields");
      default -> array(node, path);
    };
  }

  private DataType numeric(JsonNode node, String path, boolean integer) {
    BigDecimal min = number(node.get("min"), path + ".min", integer);
    BigDecimal max = number(node.get("max"), path + ".max", integer);
    BigDecimal step = number(node.get("step"), path + ".step", integer);
    if (min != null && max != null && min.compareTo(max) > 0) {
      problems.add(new Violation(path + ".max", "must not be below min " + min.toPlainString()));
    }
    if (step != null && step.signum() <= 0) {
      problems.add(new Violation(path + ".step", "must be greater than 0"));
    }
    JsonNode unit = node.get("unit");
    if (unit != null && !unit.isTextual()) {
      problems.add(new Violation(path + ".unit", "must be a string"));
    }
    return new DataType.Numeric(integer, min, max, step, unit == null ? null : unit.asText());
  }

  private BigDecimal number(JsonNode value, String path, boolean integer) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (integer ? !value.isIntegralNumber() : !value.isNumber()) {
      problems.add(new Violation(path, integer ? "must be an integer" : "must be a number"));
      return null;
    }
    return value.decimalValue();
  }

  private Map<String, String> boolMapping(JsonNode mapping, String path) {
    if (mapping == null || mapping.isNull() || !object(mapping, path)) {
      return Map.of();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    mapping
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("0") && !e.getKey().equals("1")) {
                problems.add(new Violation(path + "." + e.getKey(), "a bool maps only 0 and 1"));
              } else if (label(e.getValue(), path + "." + e.getKey())) {
                labels.put(e.getKey(), e.getValue().textValue());
              }
            });
    return Collections.unmodifiableMap(labels);
  }

  private DataType enumeration(JsonNode mapping, String path) {
    if (mapping == null || mapping.isNull()) {
      problems.add(new Violation(path, "is missing"));
      return null;
    }
    if (!object(mapping, path)) {
      return null;
    }
    if (mapping.isEmpty()) {
      problems.add(new Violation(path, "must list at least one value"));
    }
    Map<Long, String> labels = new LinkedHashMap<>();
    mapping
        .fields()
        .forEachRemaining(
            e -> {
              if (!INTEGER_KEY.matcher(e.getKey()).matches()) {
                problems.add(
                    new Violation(path + "." + e.getKey(), "an enum key must be an integer"));
              } else if (label(e.getValue(), path + "." + e.getKey())) {
                labels.put(Long.parseLong(e.getKey()), e.getValue().textValue());
              }
            });
    return new DataType.Enumeration(Collections.unmodifiableMap(labels));
  }

  private boolean label(JsonNode value, String path) {
    if (value.isTextual()) {
      return true;
    }
    problems.add(new Violation(path, "must be a string (the value's label)"));
    return false;
  }

  private DataType struct(JsonNode fields, String path) {
    if (fields == null || fields.isNull()) {
      problems.add(new Violation(path, "is missing"));
      return null;
    }
    if (fields.isArray() && fields.isEmpty()) {
      problems.add(new Violation(path, "must list at least one field"));
    }
    return new DataType.Struct(params(fields, path));
  }

  private DataType array(JsonNode node, String path) {
    Integer maxItems = positive(node.get("maxItems"), path + ".maxItems");
    JsonNode items = node.get("items");
    String itemsPath = path + ".items";
    if (items == null || items.isNull()) {
      problems.add(new Violation(itemsPath, "is missing"));
      return null;
    }
    if (!object(items, itemsPath)) {
      return null;
    }
    if (items.path("type").isTextual() && items.get("type").textValue().equals("array")) {
      problems.add(new Violation(itemsPath + ".type", "an array cannot hold arrays"));
      return null;
    }
    DataType itemType = type(items, itemsPath, List.of());
    return itemType == null ? null : new DataType.Array(itemType, maxItems);
  }

  private Integer positive(JsonNode value, String path) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() <= 0) {
      problems.add(new Violation(path, "must be a positive integer"));
      return null;
    }
    return value.intValue();
  }

  private String identifier(JsonNode node, String path, List<String> seen) {
    JsonNode value = node.get("identifier");
    String at = path + ".identifier";
    if (value == null || value.isNull()) {
      problems.add(new Violation(at, "is missing"));
      return null;
    }
    if (!value.isTextual() || !IDENTIFIER.matcher(value.textValue()).matches()) {
      problems.add(new Violation(at, "must be 1 to 64 letters, digits or _"));
      return null;
    }
    if (seen.contains(value.textValue())) {
      problems.add(new Violation(at, "duplicate identifier " + value.textValue()));
      return null;
    }
    seen.add(value.textValue());
    return value.textValue();
  }

  private void name(JsonNode node, String path) {
    for (String key : List.of("name", "desc")) {
      JsonNode value = node.get(key);
      if (value != null && !value.isTextual()) {
        problems.add(new Violation(path + "." + key, "must be a string"));
      }
    }
  }

  private List<JsonNode> items(JsonNode list, String path) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      problems.add(new Violation(path, "must be an array"));
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    list.elements().forEachRemaining(out::add);
    return out;
  }

  private boolean object(JsonNode node, String path) {
    if (node.isObject()) {
      return true;
    }
    problems.add(new Violation(path, "must be an object"));
    return false;
  }

  private void onlyKeys(JsonNode node, String path, List<String> allowed) {
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!allowed.contains(key)) {
                problems.add(
                    new Violation(
                        path.isEmpty() ? key : path + "." + key,
                        "unknown key (expected one of " + String.join(", ", allowed) + ")"));
              }
            });
  }
}
