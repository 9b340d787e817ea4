package io.thingpush.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.thingmodel.InvalidThingModelException;
import io.thingpush.core.thingmodel.ThingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed reads of the fields of an import file. Each read that fails records a problem at the
 * field's JSON path and returns null (or nothing), so that one pass finds every problem.
 */
final class JsonFields {
  /** Longest id, tenant code and device name (the columns are VARCHAR(64)). */
  static final int MAX_ID = 64;

  static final int MAX_NAME = 255;
  static final int MAX_SECRET = 255;
  static final int MAX_USER_ID = 128;

  // Ids appear in MQTT topics ($thing/up/property/{productID}/{deviceName}) and in the MQTT
  // username ({productID}&{deviceName}), so '/', '+', '#', '&' and spaces must never get in.
  private static final Pattern ID_CHARS = Pattern.compile("[A-Za-z0-9_.:@-]+");

  private final ImportProblems problems;

  JsonFields(ImportProblems problems) {
    this.problems = problems;
  }

  /** The path of {@code key} inside the value at {@code path} ("" is the file itself). */
  static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String at(String path, int index) {
    return path + "[" + index + "]";
  }

  /** What a value is, for messages. */
  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  boolean isObject(JsonNode node, String path) {
    if (node.isObject()) {
      return true;
    }
    problems.add(path, "must be an object, not " + kind(node));
    return false;
  }

  /** Records each key of {@code object} that is not allowed (a typo would lose data silently). */
  void onlyKeys(JsonNode object, String path, List<String> allowed) {
    object
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (!allowed.contains(key)) {
                problems.add(
                    at(path, key),
                    "unknown key (expected one of " + String.join(", ", allowed) + ")");
              }
            });
  }

  /** A required id: a string of 1..64 letters, digits and {@code _ . : @ -}. */
  String id(JsonNode object, String path, String key) {
    String value = string(object, path, key, MAX_ID);
    return value == null ? null : checkIdChars(value, at(path, key));
  }

  /** An optional id; absent and null both mean "none". */
  String optionalId(JsonNode object, String path, String key) {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    return id(object, path, key);
  }

  /** An id that is an element of an array rather than a field. */
  String idElement(JsonNode value, String path) {
    String text = string(value, path, MAX_ID);
    return text == null ? null : checkIdChars(text, path);
  }

  /** A required display name: a string, not blank, at most 255 characters. */
  String name(JsonNode object, String path, String key) {
    String value = string(object, path, key, MAX_NAME);
    if (value != null && value.isBlank()) {
      problems.add(at(path, key), "must not be blank");
      return null;
    }
    return value;
  }

  /** A required secret: any non-empty string of at most 255 characters. */
  String secret(JsonNode object, String path, String key) {
    return string(object, path, key, MAX_SECRET);
  }

  /** A user id as JWTs carry it: a string, or an integer kept as its decimal digits. */
  String userId(JsonNode object, String path, String key) {
    JsonNode value = object.get(key);
    if (value != null && value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value != null && !value.isNull() && !value.isTextual()) {
      problems.add(at(path, key), "must be a string or an integer, not " + kind(value));
      return null;
    }
    return string(object, path, key, MAX_USER_ID);
  }

  /** An optional boolean; absent or null is false. */
  boolean flag(JsonNode object, String path, String key) {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      problems.add(at(path, key), "must be true or false, not " + kind(value));
      return false;
    }
    return value.booleanValue();
  }

  /**
   * A thing model, checked by the thing-model validator of the ingest, so that what the
   * registry takes is what works; each violation is recorded under {@code path}.
   */
  void thingModel(JsonNode model, String path) {
    try {
      ThingModel.parse(model);
    } catch (InvalidThingModelException e) {
      e.violations()
          .forEach(v -> problems.add(v.path().isEmpty() ? path : at(path, v.path()), v.rule()));
    }
  }

  /** An optional array; absent and null both give an empty list. */
  List<JsonNode> array(JsonNode object, String path, String key) {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      problems.add(at(path, key), "must be an array, not " + kind(value));
      return List.of();
    }
    List<JsonNode> elements = new ArrayList<>(value.size());
    value.elements().forEachRemaining(elements::add);
    return elements;
  }

  private String string(JsonNode object, String path, String key, int maxLength) {
    JsonNode value = object.get(key);
    if (value == null || value.isNull()) {
      problems.add(at(path, key), "is missing");
      return null;
    }
    return string(value, at(path, key), maxLength);
  }

  private String string(JsonNode value, String path, int maxLength) {
    if (!value.isTextual()) {
      problems.add(path, "must be a string, not " + kind(value));
      return null;
    }
    String text = value.textValue();
    if (text.isEmpty()) {
      problems.add(path, "must not be empty");
      return null;
    }
    if (text.length() > maxLength) {
      problems.add(path, "is longer than " + maxLength + " characters");
      return null;
    }
    return text;
  }

  private String checkIdChars(String value, String path) {
    if (!ID_CHARS.matcher(value).matches()) {
      problems.add(path, "\"" + value + "\" may only contain letters, digits and _ . : @ -");
      return null;
    }
    return value;
  }
}
