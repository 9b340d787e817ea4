package io.thingpush.core.thingmodel;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The type of a property, parameter, struct field or array item, with the rules a value must
 * meet (docs/thing-model.md). {@link #check} adds one violation per broken rule, named by path.
 */
public sealed interface DataType {
  /** The {@code type} keyword of the thing model. */
  String name();

  void check(JsonNode value, String path, List<Violation> out);

  /** {@code 0} or {@code 1}. */
  record Bool(Map<String, String> mapping) implements DataType {
    @Override
    public String name() {
      return "bool";
    }

    @Override
    public void check(JsonNode value, String path, List<Violation> out) {
      if (!value.isIntegralNumber() || !(value.asLong() == 0 || value.asLong() == 1)) {
        out.add(new Violation(path, "must be 0 or 1"));
      }
    }
  }

  /**
   * An integer ({@code int}) or any number ({@code float}) in {@code [min, max]} (each bound
   * optional) that is {@code min} (or 0) plus a whole multiple of {@code step} (optional).
   */
  record Numeric(boolean integer, BigDecimal min, BigDecimal max, BigDecimal step, String unit)
      implements DataType {
    @Override
    public String name() {
      return integer ? "int" : "float";
    }

    @Override
    public void check(JsonNode value, String path, List<Violation> out) {
      if (integer ? !value.isIntegralNumber() : !value.isNumber()) {
        out.add(new Violation(path, integer ? "must be an integer" : "must be a number"));
        return;
      }
      BigDecimal v = value.decimalValue();
      if (min != null && v.compareTo(min) < 0) {
        out.add(
            new Violation(
                path, v.toPlainString() + " is below the minimum " + min.toPlainString()));
      } else if (max != null && v.compareTo(max) > 0) {
        out.add(
            new Violation(
                path, v.toPlainString() + " is above the maximum " + max.toPlainString()));
      } else if (step != null
          && v.subtract(min == null ? BigDecimal.ZERO : min).remainder(step).signum() != 0) {
        out.add(
            new Violation(
                path,
                v.toPlainString()
                    + " is not on a step of "
                    + step.toPlainString()
                    + (min == null ? "" : " from " + min.toPlainString())));
      }
    }
  }

  /** One of the integer keys of {@code mapping}. */
  record Enumeration(Map<Long, String> mapping) implements DataType {
    @Override
    public String name() {
      return "enum";
    }

    @Override
    public void check(JsonNode value, String path, List<Violation> out) {
      if (!value.isIntegralNumber()
          || !value.canConvertToLong()
          || !mapping.containsKey(value.asLong())) {
        out.add(new Violation(path, "must be one of " + keys(mapping.keySet())));
      }
    }

    private static String keys(Set<Long> keys) {
      return keys.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
    }
  }

  /** A string of at most {@code maxLength} characters (code points), or any length when null. */
  record Text(Integer maxLength) implements DataType {
    @Override
    public String name() {
      return "string";
    }

    @Override
    public void check(JsonNode value, String path, List<Violation> out) {
      if (!value.isTextual()) {
        out.add(new Violation(path, "must be a string"));
      } else if (maxLength != null
          && value.textValue().codePointCount(0, value.textValue().length()) > maxLength) {
        out.add(new Violation(path, "is longer than " + maxLength + " characters"));
      }
    }
  }

  /** Milliseconds since the epoch: a non-negative integer, or a string of at most 19 digits. */
  record Timestamp() implements DataType {
    @Override
    public String name() {
      return "timestamp";
    }

    @Override
    public void check(JsonNode value, String path, List<Violation> out) {
      boolean ok =
          value.isIntegralNumber()
              ? value.canConvertToLong() && value.asLong() >= 0
              : value.isTextual() && isMillis(value.textValue());
      if (!ok) {
        out.add(
            new Violation(
                path, "must be milliseconds since the epoch (an integer or a string of digits)"));
      }
    }

    private static boolean isMillis(String text) {
      if (text.isEmpty()
          || text.length() > 19
          || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      try {
        Long.parseLong(text);
        return true;
      } catch (NumberFormatException tooLarge) {
        return false;
      }
    }
  }

  /** An object whose keys are among {@code fields} (a report may carry some of them). */
  record Struct(Map<String, DataType> fields) implements DataType {
    @Override
    public String name() {
      return "struct";
    }

    @Override
    public void check(JsonNode value, String path, List<Violation> out) {
      if (!value.isObject()) {
        out.add(new Violation(path, "must be an object"));
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        DataType type = fields.get(field.getKey());
        String fieldPath = path + "." + field.getKey();
        if (type == null) {
          out.add(new Violation(fieldPath, "is not a field of the struct"));
        } else {
          type.check(field.getValue(), fieldPath, out);
        }
      }
    }
  }

  /** An array of {@code items}, at most {@code maxItems} of them when given. */
  record Array(DataType items, Integer maxItems) implements DataType {
    @Override
    public String name() {
      return "array";
    }

    @Override
    public void check(JsonNode value, String path, List<Violation> out) {
      if (!value.isArray()) {
        out.add(new Violation(path, "must be an array"));
        return;
      }
      if (maxItems != null && value.size() > maxItems) {
        out.add(new Violation(path, "has more than " + maxItems + " items"));
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        items.check(value.get(i), path + "[" + i + "]", out);
      }
    }
  }
}
