package io.thingpush.server.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.thingmodel.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A plausible value of a thing-model type, always one the model accepts (range, step, keys, length). */
final class SimulatedValues {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private SimulatedValues() {}

  /** A params object with a value for each of {@code types}. */
  static ObjectNode of(Map<String, DataType> types, Random random) {
    ObjectNode params = JSON.objectNode();
    types.forEach((identifier, type) -> params.set(identifier, of(type, random)));
    return params;
  }

  static JsonNode of(DataType type, Random random) {
    if (type instanceof DataType.Bool) {
      return JSON.numberNode(random.nextInt(10) == 0 ? 1 : 0);
    } else if (type instanceof DataType.Numeric n) {
      return number(n, random);
    } else if (type instanceof DataType.Enumeration e) {
      List<Long> keys = new ArrayList<>(e.mapping().keySet());
      return JSON.numberNode(keys.get(random.nextInt(keys.size())));
    } else if (type instanceof DataType.Text t) {
      String text = "sim-" + random.nextInt(100);
      return JSON.textNode(
          t.maxLength() == null || text.length() <= t.maxLength()
              ? text
              : text.substring(0, t.maxLength()));
    } else if (type instanceof DataType.Timestamp) {
      return JSON.textNode(Long.toString(System.currentTimeMillis()));
    } else if (type instanceof DataType.Struct s) {
      return of(s.fields(), random);
    }
    DataType.Array a = (DataType.Array) type;
    ArrayNode items = JSON.arrayNode();
    int n = 1 + random.nextInt(a.maxItems() == null ? 3 : Math.min(3, a.maxItems()));
    for (int i = 0; i < n; i++) {
      items.add(of(a.items(), random));
    }
    return items;
  }

  /** A value in the middle part of the range, on a step: {@code base + k * step}. */
  private static JsonNode number(DataType.Numeric n, Random random) {
    BigDecimal min =
        n.min() != null
            ? n.min()
            : n.max() != null ? n.max().subtract(BigDecimal.valueOf(100)) : BigDecimal.ZERO;
    BigDecimal max = n.max() != null ? n.max() : min.add(BigDecimal.valueOf(100));
    BigDecimal step =
        n.step() != null ? n.step() : n.integer() ? BigDecimal.ONE : new BigDecimal("0.1");
    BigDecimal base = n.min() != null ? n.min() : BigDecimal.ZERO;
    BigDecimal target =
        min.add(max.subtract(min).multiply(BigDecimal.valueOf(0.3 + 0.4 * random.nextDouble())));
    BigDecimal steps = target.subtract(base).divideToIntegralValue(step);
    BigDecimal value = base.add(steps.multiply(step));
    if (value.compareTo(min) < 0) {
      value = value.add(step);
    }
    if (n.max() != null && value.compareTo(n.max()) > 0) {
      value = base; // a range narrower than its step: its base is the one value in it
    }
    if (n.integer()) {
      return JSON.numberNode(value.toBigInteger());
    }
    BigDecimal plain = value.stripTrailingZeros();
    return JSON.numberNode(plain.scale() < 0 ? plain.setScale(0) : plain);
  }
}
