package io.thingpush.core.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelVariableResolver;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One push body as the variables of a filter, read lazily: a variable is converted only when the
 * expression reaches it, and an object or array becomes a view over its JSON node, so
 * {@code params.temp} converts one value however many properties the report carries. This is the
 * only thing a filter can read.
 */
final class BodyVariables implements CelVariableResolver {
  private final ObjectNode body;
  private final Map<String, CelType> fields;

  BodyVariables(ObjectNode body, Map<String, CelType> fields) {
    this.body = body;
    this.fields = fields;
  }

  /**
   * The field's value; empty when the body lacks it or holds null, which the runtime reports as an
   * unknown result (a missing field, not an error).
   */
  @Override
  public Optional<Object> find(String name) {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isTextual() && fields.get(name) == SimpleType.INT) {
      return Optional.of(digits(node.textValue()));
    }
    return Optional.of(value(node));
  }

  /** An int field sent as a string of digits (timestamps always are) is its number. */
  private static Object digits(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException notDigits) {
      return text;
    }
  }

  /** The CEL value of a JSON value: int, double, string, bool, null, or a map or list view. */
  static Object value(JsonNode node) {
    return switch (node.getNodeType()) {
      case NUMBER ->
          node.isIntegralNumber() && node.canConvertToLong()
              ? (Object) node.longValue()
              : (Object) node.doubleValue();
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      case OBJECT -> new JsonMap((ObjectNode) node);
      case ARRAY -> new JsonList((ArrayNode) node);
      // NULL; a body parsed from JSON holds no binary, POJO or missing nodes.
      default -> NullValue.NULL_VALUE;
    };
  }

  /** A JSON object as a CEL map, converting a value when it is read. */
  private static final class JsonMap extends AbstractMap<String, Object> {
    private final ObjectNode node;

    JsonMap(ObjectNode node) {
      this.node = node;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String name && node.has(name);
    }

    @Override
    public Object get(Object key) {
      JsonNode child = key instanceof String name ? node.get(name) : null;
      return child == null ? null : value(child);
    }

    @Override
    public int size() {
      return node.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return node.size();
        }

        @Override
        public Iterator<Entry<String, Object>> iterator() {
          Iterator<Entry<String, JsonNode>> fields = node.fields();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return fields.hasNext();
            }

            @Override
            public Entry<String, Object> next() {
              Entry<String, JsonNode> field = fields.next();
              return Map.entry(field.getKey(), value(field.getValue()));
            }
          };
        }
      };
    }
  }

  /** A JSON array as a CEL list, converting an element when it is read. */
  private static final class JsonList extends AbstractList<Object> {
    private final ArrayNode node;

    JsonList(ArrayNode node) {
      this.node = node;
    }

    @Override
    public Object get(int index) {
      return value(node.get(Objects.checkIndex(index, node.size())));
    }

    @Override
    public int size() {
      return node.size();
    }
  }
}
