package io.thingpush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.protocol.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** JSON literals and exact-JSON assertions for the end-to-end tests. */
public final class Jsons {
  /** Any value (present and not null) where the expected JSON says {@code "*"}. */
  static final String ANY = "*";

  private static final ObjectMapper RELAXED =
      Json.MAPPER.copy().enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES);

  private Jsons() {}

  /** Parses JSON in which strings may use single quotes: {@code json("{'a':1}")}. */
  public static JsonNode json(String text) {
    try {
      return RELAXED.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad JSON literal in a test: " + text, e);
    }
  }

  static ObjectNode object(String text) {
    return (ObjectNode) json(text);
  }

  /** An ordered map of alternating keys and values, e.g. subscription params. */
  public static Map<String, Object> params(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /**
   * Asserts {@code actual} is exactly {@code expected} (same keys, same values, numbers of the
   * same kind), except that a {@code "*"} in {@code expected} accepts any present value.
   */
  public static void assertJson(JsonNode actual, String expected) {
    assertJson(actual, json(expected));
  }

  public static void assertJson(JsonNode actual, JsonNode expected) {
    assertJson("", actual, expected);
  }

  /** {@link #assertJson(JsonNode, String)} with a description shown on failure. */
  public static void assertJson(String description, JsonNode actual, String expected) {
    assertJson(description, actual, json(expected));
  }

  private static void assertJson(String description, JsonNode actual, JsonNode expected) {
    List<String> problems = new ArrayList<>();
    compare("$", actual, expected, problems);
    assertThat(problems)
        .as("%s JSON differs%n  actual:   %s%n  expected: %s", description, actual, expected)
        .isEmpty();
  }

  private static void compare(String path, JsonNode actual, JsonNode expected, List<String> out) {
    if (expected.isTextual() && ANY.equals(expected.textValue())) {
      if (actual == null || actual.isMissingNode() || actual.isNull()) {
        out.add(path + " is missing");
      }
      return;
    }
    if (actual == null || actual.isMissingNode()) {
      out.add(path + " is missing");
      return;
    }
    if (expected.isObject() && actual.isObject()) {
      TreeSet<String> expectedKeys = keys(expected);
      TreeSet<String> actualKeys = keys(actual);
      if (!expectedKeys.equals(actualKeys)) {
        out.add(path + " has keys " + actualKeys + ", expected " + expectedKeys);
      }
      for (String key : expectedKeys) {
        if (actual.has(key)) {
          compare(path + "." + key, actual.get(key), expected.get(key), out);
        }
      }
      return;
    }
    if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", actual.get(i), expected.get(i), out);
      }
      return;
    }
    if (expected.isNumber() && actual.isNumber()) {
      boolean sameKind = expected.isIntegralNumber() == actual.isIntegralNumber();
      if (!sameKind || expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        out.add(path + " is " + actual + ", expected " + expected);
      }
      return;
    }
    if (!expected.equals(actual)) {
      out.add(path + " is " + actual + ", expected " + expected);
    }
  }

  private static TreeSet<String> keys(JsonNode node) {
    TreeSet<String> keys = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  /** Asserts {@code msg} is Chinese (the default language): it holds CJK characters. */
  public static void assertChinese(JsonNode frame) {
    String msg = frame.path("msg").asText("");
    assertThat(
            msg.codePoints()
                .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
        .as("msg of %s is Chinese", frame)
        .isTrue();
  }

  /** Asserts {@code msg} is English: printable ASCII only, not empty. */
  public static void assertEnglish(JsonNode frame) {
    String msg = frame.path("msg").asText("");
    assertThat(msg).as("msg of %s", frame).isNotBlank().matches("[\\x20-\\x7e]+");
  }
}
