package io.thingpush.server.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Defaults, then a YAML file, then environment variables; a bad value fails naming its path. */
final class ConfigLoader {
  static final String DEFAULTS = "thingpush-defaults.yaml";
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  static String defaultsText() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ThingPushConfig load(String yaml, Map<String, String> env) {
    ObjectNode tree = (ObjectNode) read(defaultsText(), "defaults");
    JsonNode given = read(yaml == null ? "" : yaml, "config");
    if (given != null && !given.isMissingNode() && !given.isNull()) {
      if (!given.isObject()) {
        throw new ConfigException("config must be a YAML mapping");
      }
      merge(tree, (ObjectNode) given, "");
    }
    applyEnv(tree, "", env);
    ThingPushConfig config;
    try {
      config = YAML.treeToValue(tree, ThingPushConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(path(e) + ": unknown option");
    } catch (MismatchedInputException e) {
      throw new ConfigException(path(e) + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(e.getMessage());
    }
    ConfigValidator.validate(config);
    return config;
  }

  private static JsonNode read(String yaml, String what) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(what + " is not valid YAML: " + e.getMessage());
    }
  }

  /** Deep-merges {@code over} into {@code base}; a key the defaults lack is an error. */
  private static void merge(ObjectNode base, ObjectNode over, String prefix) {
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String path = prefix + field.getKey();
      JsonNode current = base.get(field.getKey());
      if (current == null) {
        throw new ConfigException(path + ": unknown option");
      }
      if (current.isObject() && field.getValue().isObject()) {
        merge((ObjectNode) current, (ObjectNode) field.getValue(), path + ".");
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }

  /** Replaces each leaf that has a {@code THINGPUSH_*} variable; lists and maps come as JSON. */
  private static void applyEnv(ObjectNode node, String prefix, Map<String, String> env) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String path = prefix + field.getKey();
      if (field.getValue().isObject()) {
        applyEnv((ObjectNode) field.getValue(), path + ".", env);
        continue;
      }
      String value = env.get(envName(path));
      if (value == null) {
        continue;
      }
      if (field.getValue().isArray()) {
        field.setValue(read(value, envName(path)));
      } else {
        field.setValue(TextNode.valueOf(value));
      }
    }
  }

  /** {@code ws.maxMessageBytes} → {@code THINGPUSH_WS_MAX_MESSAGE_BYTES}. */
  static String envName(String path) {
    return "THINGPUSH_"
        + path.replace(".", "_").replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }
}
