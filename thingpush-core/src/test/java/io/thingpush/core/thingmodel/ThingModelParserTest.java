package io.thingpush.core.thingmodel;

import static io.thingpush.core.thingmodel.ThingModelTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A thing model that is itself invalid is refused with the path of each error. */
class ThingModelParserTest {
  @Test
  void readsEveryTypeInModelOrder() {
    ThingModel model =
        ThingModel.parse(
            json(
                """
        {"properties": [
          {"identifier": "b", "name": "B", "desc": "d", "type": "bool"},
          {"identifier": "i", "type": "int", "min": 0, "max": 10, "step": 2, "unit": "s"},
          {"identifier": "f", "type": "float", "min": -1.5, "max": 1.5, "step": 0.5},
          {"identifier": "e", "type": "enum", "mapping": {"1": "one"}},
          {"identifier": "s", "type": "string", "maxLength": 8},
          {"identifier": "t", "type": "timestamp"},
          {"identifier": "st", "type": "struct", "fields": [{"identifier": "x", "type": "int"}]},
          {"identifier": "a", "type": "array", "items": {"type": "float", "max": 1}, "maxItems": 3}],
         "actions": [{"identifier": "go", "name": "Go", "input": [], "output": [{"identifier": "ok", "type": "bool"}]}],
         "events": [{"identifier": "fault", "type": "fault", "params": [{"identifier": "code", "type": "int"}]}]}
        """));

    assertThat(model.properties().keySet())
        .containsExactly("b", "i", "f", "e", "s", "t", "st", "a");
    assertThat(model.properties().values())
        .extracting(DataType::name)
        .containsExactly("bool", "int", "float", "enum", "string", "timestamp", "struct", "array");
    assertThat(model.action("go").orElseThrow().output()).containsOnlyKeys("ok");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[]                                                         | must be an object",
        "{'props': []}                                              | props: unknown key (expected one of properties, actions, events)",
        "{'properties': {}}                                         | properties: must be an array",
        "{'properties': [1]}                                        | properties[0]: must be an object",
        "{'properties': [{'type': 'int'}]}                          | properties[0].identifier: is missing",
        "{'properties': [{'identifier': 'a b', 'type': 'int'}]}     | properties[0].identifier: must be 1 to 64 letters, digits or _",
        "{'properties': [{'identifier': 'a', 'type': 'int'}, {'identifier': 'a', 'type': 'bool'}]} | properties[1].identifier: duplicate identifier a",
        "{'properties': [{'identifier': 'a'}]}                      | properties[0].type: is missing",
        "{'properties': [{'identifier': 'a', 'type': 'double'}]}    | properties[0].type: must be one of bool, int, float, enum, string, timestamp, struct, array",
        "{'properties': [{'identifier': 'a', 'type': 'int', 'mix': 1}]} | properties[0].mix: unknown key (expected one of identifier, name, desc, type, min, max, step, unit)",
        "{'properties': [{'identifier': 'a', 'type': 'int', 'maxLength': 1}]} | properties[0].maxLength: unknown key (expected one of identifier, name, desc, type, min, max, step, unit)",
        "{'properties': [{'identifier': 'a', 'type': 'int', 'min': 0.5}]} | properties[0].min: must be an integer",
        "{'properties': [{'identifier': 'a', 'type': 'float', 'max': '9'}]} | properties[0].max: must be a number",
        "{'properties': [{'identifier': 'a', 'type': 'float', 'min': 2, 'max': 1}]} | properties[0].max: must not be below min 2",
        "{'properties': [{'identifier': 'a', 'type': 'float', 'step': 0}]} | properties[0].step: must be greater than 0",
        "{'properties': [{'identifier': 'a', 'type': 'int', 'unit': 5}]} | properties[0].unit: must be a string",
        "{'properties': [{'identifier': 'a', 'type': 'int', 'name': 5}]} | properties[0].name: must be a string",
        "{'properties': [{'identifier': 'a', 'type': 'bool', 'mapping': {'2': 'x'}}]} | properties[0].mapping.2: a bool maps only 0 and 1",
        "{'properties': [{'identifier': 'a', 'type': 'enum'}]}      | properties[0].mapping: is missing",
        "{'properties': [{'identifier': 'a', 'type': 'enum', 'mapping': {}}]} | properties[0].mapping: must list at least one value",
        "{'properties': [{'identifier': 'a', 'type': 'enum', 'mapping': {'x': 'y'}}]} | properties[0].mapping.x: an enum key must be an integer",
        "{'properties': [{'identifier': 'a', 'type': 'enum', 'mapping': {'1': 1}}]} | properties[0].mapping.1: must be a string (the value's label)",
        "{'properties': [{'identifier': 'a', 'type': 'string', 'maxLength': 0}]} | properties[0].maxLength: must be a positive integer",
        "{'properties': [{'identifier': 'a', 'type': 'struct'}]}    | properties[0].fields: is missing",
        "{'properties': [{'identifier': 'a', 'type': 'struct', 'fields': []}]} | properties[0].fields: must list at least one field",
        "{'properties': [{'identifier': 'a', 'type': 'struct', 'fields': [{'identifier': 'x', 'type': 'int', 'max': 'z'}]}]} | properties[0].fields[0].max: must be an integer",
        "{'properties': [{'identifier': 'a', 'type': 'array'}]}     | properties[0].items: is missing",
        "{'properties': [{'identifier': 'a', 'type': 'array', 'items': {'type': 'array'}}]} | properties[0].items.type: an array cannot hold arrays",
        "{'properties': [{'identifier': 'a', 'type': 'array', 'items': {'type': 'int', 'identifier': 'x'}}]} | properties[0].items.identifier: unknown key (expected one of type, min, max, step, unit)",
        "{'properties': [{'identifier': 'a', 'type': 'array', 'items': {'type': 'int'}, 'maxItems': -1}]} | properties[0].maxItems: must be a positive integer",
        "{'actions': [{'identifier': 'go', 'input': [{'identifier': 'x'}]}]} | actions[0].input[0].type: is missing",
        "{'actions': [{'identifier': 'go', 'params': []}]}          | actions[0].params: unknown key (expected one of identifier, name, desc, input, output)",
        "{'events': [{'identifier': 'e', 'type': 'warning'}]}       | events[0].type: must be one of info, alert, fault"
      })
  void refusesAnInvalidModelWithThePathOfTheError(String model, String problem) {
    assertThatThrownBy(() -> ThingModel.parse(json(model)))
        .isInstanceOfSatisfying(
            InvalidThingModelException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::toString)
                    .containsExactly(problem));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                ThingModel.parse(
                    json(
                        "{'properties': [{'identifier': 'a', 'type': 'x'}, {'identifier': 'b', 'type': 'int', 'min': 'low'}]}")))
        .isInstanceOfSatisfying(
            InvalidThingModelException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::path)
                    .containsExactly("properties[0].type", "properties[1].min"))
        .hasMessageContaining("properties[0].type: must be one of")
        .hasMessageContaining("; properties[1].min: ");
  }
}
