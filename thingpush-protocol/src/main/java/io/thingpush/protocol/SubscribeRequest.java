package io.thingpush.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of an {@code up.sub} or {@code up.unSub}, checked in the order SPEC §2 gives:
 * unknown code string (100018) first, then every form error (100006).
 *
 * @param params the {@code params} object exactly as the client sent it
 * @param since replay history after this seq, or null
 * @param throttleMs at most one push per device and property per interval, or null
 * @param filter the CEL expression of SPEC §10 as sent (compiled by the core), or null
 */
public record SubscribeRequest(
    SubCode code,
    Target target,
    JsonNode params,
    Long since,
    boolean snapshot,
    Long throttleMs,
    String filter) {

  /** The longest {@code filter}, in characters (code points); a longer one is refused with 100015. */
  public static final int MAX_FILTER_LENGTH = 1024;

  private static final String SHARE_DEVICE = "shareDevice";
  private static final Set<String> BODY_KEYS =
      Set.of("code", "params", "since", "snapshot", "throttleMs", "filter");
  private static final Set<String> PARAM_KEYS =
      Set.of("productID", "deviceName", "identifier", "projectID", "areaID", SHARE_DEVICE);

  /**
   * Parses {@code body}; {@code defaultProjectID} (the connection's {@code project-id}, or
   * null) fills a project or area subscription that omits {@code projectID}.
   */
  public static SubscribeRequest parse(JsonNode body, String defaultProjectID) {
    JsonNode codeNode = body == null ? null : body.get("code");
    if (codeNode != null && codeNode.isTextual() && SubCode.fromWire(codeNode.asText()) == null) {
      throw new ThingPushException(
          ErrorCode.NOT_IMPLEMENTED, "unknown subscription code " + codeNode.asText());
    }
    if (body == null || !body.isObject()) {
      throw bad("body must be an object");
    }
    if (codeNode == null || !codeNode.isTextual()) {
      throw bad("body.code must be a string");
    }
    SubCode code = SubCode.fromWire(codeNode.asText());
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!BODY_KEYS.contains(key)) {
        throw bad("unknown key body." + key);
      }
    }
    JsonNode params = body.get("params");
    Target target = target(code, params, defaultProjectID);
    Long since = nonNegative(body, "since");
    Long throttleMs = nonNegative(body, "throttleMs");
    JsonNode snapshotNode = body.get("snapshot");
    if (snapshotNode != null && !snapshotNode.isBoolean()) {
      throw bad("body.snapshot must be a boolean");
    }
    boolean snapshot = snapshotNode != null && snapshotNode.asBoolean();
    if (snapshotNode != null && !code.isProperty() && !code.isState()) {
      throw bad("snapshot applies to property codes, deviceConn and deviceOtaReport only");
    }
    if (throttleMs != null && !code.isProperty()) {
      throw bad("throttleMs applies to property codes only");
    }
    return new SubscribeRequest(code, target, params, since, snapshot, throttleMs, filter(body));
  }

  /** The filter's text: a non-blank string of at most {@value #MAX_FILTER_LENGTH} characters. */
  private static String filter(JsonNode body) {
    JsonNode node = body.get("filter");
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      throw bad("body.filter must be a string");
    }
    String text = node.textValue();
    if (text.isBlank()) {
      throw bad("body.filter is empty");
    }
    if (text.codePointCount(0, text.length()) > MAX_FILTER_LENGTH) {
      throw new ThingPushException(
          ErrorCode.OUT_OF_RANGE,
          "body.filter is longer than " + MAX_FILTER_LENGTH + " characters");
    }
    return text;
  }

  private static Target target(SubCode code, JsonNode params, String defaultProjectID) {
    if (params == null || !params.isObject()) {
      throw bad("body.params must be an object");
    }
    Map<String, String> values = new java.util.HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (!PARAM_KEYS.contains(key)) {
        throw bad("unknown key params." + key);
      }
      JsonNode value = field.getValue();
      if (key.equals(SHARE_DEVICE)) {
        // i-Things' form for "the devices shared with me": only true means anything.
        if (!value.isBoolean() || !value.booleanValue()) {
          throw bad("params.shareDevice must be true");
        }
        values.put(key, "true");
        continue;
      }
      if (!value.isTextual() && !value.isIntegralNumber()) {
        throw bad("params." + key + " must be a string or an integer");
      }
      String text = value.asText();
      if (text.isEmpty()) {
        throw bad("params." + key + " is empty");
      }
      values.put(key, text);
    }
    if (values.containsKey("identifier")
        && !code.isProperty()
        && code != SubCode.DEVICE_ACTION_REPORT) {
      throw bad("params.identifier applies to property codes and deviceActionReport only");
    }
    Set<String> keys = new TreeSet<>(values.keySet());
    if (keys.equals(Set.of(SHARE_DEVICE))) {
      return Target.shares();
    }
    if (keys.equals(Set.of("productID", "deviceName", "identifier"))) {
      return Target.property(
          values.get("productID"), values.get("deviceName"), values.get("identifier"));
    }
    if (keys.equals(Set.of("productID", "deviceName"))) {
      return Target.device(values.get("productID"), values.get("deviceName"));
    }
    String projectID = values.getOrDefault("projectID", defaultProjectID);
    if (projectID != null) {
      keys.remove("projectID");
      if (keys.isEmpty()) {
        return Target.project(projectID);
      }
      if (keys.equals(Set.of("areaID"))) {
        return Target.area(projectID, values.get("areaID"));
      }
    }
    throw bad(
        "params must be {productID, deviceName, identifier}, {productID, deviceName},"
            + " {projectID}, {projectID, areaID} or {shareDevice: true}; got "
            + new TreeSet<>(values.keySet()));
  }

  private static Long nonNegative(JsonNode body, String key) {
    JsonNode node = body.get(key);
    if (node == null) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw bad("body." + key + " must be an integer");
    }
    if (node.asLong() < 0) {
      throw bad("body." + key + " must not be negative");
    }
    return node.asLong();
  }

  private static ThingPushException bad(String detail) {
    return new ThingPushException(ErrorCode.PARAMETER, detail);
  }
}
