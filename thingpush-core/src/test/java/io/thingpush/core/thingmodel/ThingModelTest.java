package io.thingpush.core.thingmodel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each value rule accepts its edge values and refuses the ones just outside, naming both. */
class ThingModelTest {
  private static final ThingModel MODEL =
      ThingModel.parse(
          json(
              """
      {"properties": [
        {"identifier": "temp", "type": "float", "min": -40, "max": 120, "step": 0.1},
        {"identifier": "hum", "type": "int", "min": 0, "max": 100, "step": 5},
        {"identifier": "free", "type": "float"},
        {"identifier": "count", "type": "int"},
        {"identifier": "on", "type": "bool", "mapping": {"0": "off", "1": "on"}},
        {"identifier": "mode", "type": "enum", "mapping": {"-1": "off", "0": "auto", "2": "manual"}},
        {"identifier": "label", "type": "string", "maxLength": 3},
        {"identifier": "note", "type": "string"},
        {"identifier": "at", "type": "timestamp"},
        {"identifier": "pos", "type": "struct", "fields": [
          {"identifier": "x", "type": "int", "min": 0, "max": 9},
          {"identifier": "tag", "type": "string", "maxLength": 2}]},
        {"identifier": "pts", "type": "array", "maxItems": 2, "items": {"type": "int", "min": 0, "max": 1}},
        {"identifier": "spots", "type": "array", "items": {"type": "struct", "fields": [
          {"identifier": "x", "type": "float", "max": 1}]}}
      ],
      "actions": [{"identifier": "reboot", "input": [{"identifier": "delaySec", "type": "int", "min": 0, "max": 60}]}]}
      """));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'temp': -40}",
        "{'temp': 120}",
        "{'temp': 18.9}",
        "{'temp': -39.9}",
        "{'temp': 119.9}",
        "{'temp': 0}",
        "{'hum': 0}",
        "{'hum': 100}",
        "{'hum': 5}",
        "{'hum': 95}",
        "{'free': -1e30}",
        "{'free': 3.14159}",
        "{'count': -9223372036854775808}",
        "{'on': 0}",
        "{'on': 1}",
        "{'mode': -1}",
        "{'mode': 0}",
        "{'mode': 2}",
        "{'label': ''}",
        "{'label': 'abc'}",
        "{'label': '温度计'}",
        "{'note': 'any length at all'}",
        "{'at': 0}",
        "{'at': 1795663537021}",
        "{'at': '1795663537021'}",
        "{'at': '9223372036854775807'}",
        "{'pos': {'x': 0, 'tag': 'ab'}}",
        "{'pos': {'x': 9}}",
        "{'pos': {}}",
        "{'pts': []}",
        "{'pts': [0, 1]}",
        "{'spots': [{'x': 1}, {'x': -5}]}",
        "{'temp': 20, 'hum': 50, 'on': 1, 'label': 'ok'}"
      })
  void acceptsValidValuesAndEdges(String params) {
    assertThat(MODEL.checkProperties(json(params))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'temp': -40.1}           | temp: -40.1 is below the minimum -40",
        "{'temp': 120.1}           | temp: 120.1 is above the maximum 120",
        "{'temp': 18.95}           | temp: 18.95 is not on a step of 0.1 from -40",
        "{'temp': '20'}            | temp: must be a number",
        "{'temp': null}            | temp: must be a number",
        "{'hum': -1}               | hum: -1 is below the minimum 0",
        "{'hum': 101}              | hum: 101 is above the maximum 100",
        "{'hum': 96}               | hum: 96 is not on a step of 5 from 0",
        "{'hum': 50.0}             | hum: must be an integer",
        "{'hum': 50.5}             | hum: must be an integer",
        "{'count': true}           | count: must be an integer",
        "{'on': 2}                 | on: must be 0 or 1",
        "{'on': -1}                | on: must be 0 or 1",
        "{'on': true}              | on: must be 0 or 1",
        "{'on': '1'}               | on: must be 0 or 1",
        "{'mode': 1}               | mode: must be one of -1, 0, 2",
        "{'mode': 3}               | mode: must be one of -1, 0, 2",
        "{'mode': '0'}             | mode: must be one of -1, 0, 2",
        "{'label': 'abcd'}         | label: is longer than 3 characters",
        "{'label': 5}              | label: must be a string",
        "{'at': -1}                | at: must be milliseconds since the epoch (an integer or a string of digits)",
        "{'at': '9223372036854775808'} | at: must be milliseconds since the epoch (an integer or a string of digits)",
        "{'at': '12a'}             | at: must be milliseconds since the epoch (an integer or a string of digits)",
        "{'at': 1.5}               | at: must be milliseconds since the epoch (an integer or a string of digits)",
        "{'pos': {'x': 10}}        | pos.x: 10 is above the maximum 9",
        "{'pos': {'tag': 'abc'}}   | pos.tag: is longer than 2 characters",
        "{'pos': {'y': 1}}         | pos.y: is not a field of the struct",
        "{'pos': [1]}              | pos: must be an object",
        "{'pts': [0, 1, 0]}        | pts: has more than 2 items",
        "{'pts': [0, 2]}           | pts[1]: 2 is above the maximum 1",
        "{'pts': 1}                | pts: must be an array",
        "{'spots': [{'x': 1.5}]}   | spots[0].x: 1.5 is above the maximum 1",
        "{'tmp': 1}                | tmp: is not a property of the thing model"
      })
  void refusesValuesJustOutsideNamingIdentifierAndRule(String params, String violation) {
    assertThat(MODEL.checkProperties(json(params)))
        .extracting(Violation::toString)
        .containsExactly(violation);
  }

  @Test
  void reportsEveryBrokenValue() {
    List<Violation> violations = MODEL.checkProperties(json("{'temp': 200, 'hum': 50, 'on': 5}"));

    assertThat(violations).extracting(Violation::path).containsExactly("temp", "on");
  }

  @Test
  void actionInputIsCheckedAgainstItsDefinition() {
    ThingModel.Action reboot = MODEL.action("reboot").orElseThrow();

    assertThat(reboot.checkInput(json("{'delaySec': 60}"))).isEmpty();
    assertThat(reboot.checkInput(json("{}"))).isEmpty();
    assertThat(reboot.checkInput(json("{'delaySec': 61}")))
        .extracting(Violation::toString)
        .containsExactly("delaySec: 61 is above the maximum 60");
    assertThat(reboot.checkInput(json("{'delay': 1}")))
        .extracting(Violation::toString)
        .containsExactly("delay: is not an input of action reboot");
    assertThat(MODEL.action("nope")).isEmpty();
  }

  @Test
  void anEmptyModelHasNoProperties() {
    ThingModel empty = ThingModel.parse(json("{}"));

    assertThat(empty.properties()).isEmpty();
    assertThat(empty.checkProperties(json("{'temp': 1}")))
        .extracting(Violation::toString)
        .containsExactly("temp: is not a property of the thing model");
  }

  static JsonNode json(String text) {
    JsonNode node = Json.parseOrNull(text.replace('\'', '"'));
    assertThat(node).as("test JSON %s", text).isNotNull();
    return node;
  }
}
