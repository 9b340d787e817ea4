package io.thingpush.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A plausible random value for one thing-model property (docs/registry.md). */
final class DemoValues {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private DemoValues() {}

  static JsonNode of(JsonNode property, Random random) {
    double min = property.path("min").asDouble(0);
    double max = property.path("max").asDouble(100);
    return switch (property.path("type").asText()) {
      case "bool" -> JSON.numberNode(random.nextInt(10) == 0 ? 1 : 0);
      case "int" -> JSON.numberNode((long) (min + random.nextInt((int) Math.max(1, max - min + 1))));
      case "float" -> JSON.numberNode(BigDecimal.valueOf(min + (max - min) * (0.3 + 0.4 * random.nextDouble()))
          .setScale(1, RoundingMode.HALF_UP));
      case "enum" -> {
        List<String> keys = new ArrayList<>();
        property.path("mapping").fieldNames().forEachRemaining(keys::add);
        yield keys.isEmpty() ? JSON.numberNode(0) : JSON.numberNode(Integer.parseInt(keys.get(random.nextInt(keys.size()))));
      }
      case "timestamp" -> JSON.textNode(Long.toString(System.currentTimeMillis()));
      default -> JSON.textNode("demo-" + random.nextInt(100));
    };
  }
}
