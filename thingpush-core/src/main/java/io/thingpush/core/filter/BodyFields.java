package io.thingpush.core.filter;

import static dev.cel.common.types.SimpleType.DYN;
import static dev.cel.common.types.SimpleType.INT;
import static dev.cel.common.types.SimpleType.STRING;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import io.thingpush.protocol.SubCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of each code's push body (SPEC §3), each a filter variable of one CEL type. Numbers
 * the body always carries as integers (codes, status, step, user ids, timestamps) are {@code int};
 * property values, whose type depends on the thing model, are {@code dyn}, so one filter reads an
 * int, a float, a string or a struct property alike.
 */
final class BodyFields {
  /** {@code device}: {@code {productID, deviceName}}. */
  private static final CelType DEVICE = MapType.create(STRING, STRING);

  /** {@code params}: identifier → value, any JSON value. */
  private static final CelType VALUES = MapType.create(STRING, DYN);

  private BodyFields() {}

  /** The variables a filter on {@code code} may use, in the body's own order. */
  static Map<String, CelType> of(SubCode code) {
    Map<String, CelType> fields = new LinkedHashMap<>();
    switch (code) {
      case DEVICE_PROPERTY_REPORT -> {
        fields.put("device", DEVICE);
        fields.put("timestamp", INT);
        fields.put("identifier", STRING);
        fields.put("param", DYN);
        fields.put("operatorUserId", INT);
      }
      case DEVICE_PROPERTY_REPORT_V2 -> {
        fields.put("device", DEVICE);
        fields.put("timestamp", INT);
        fields.put("params", VALUES);
        fields.put("operatorUserId", INT);
      }
      case DEVICE_PUBLISH -> {
        fields.put("productID", STRING);
        fields.put("deviceName", STRING);
        fields.put("content", STRING);
        fields.put("topic", STRING);
        fields.put("action", STRING);
        fields.put("timestamp", INT);
        fields.put("requestID", STRING);
        fields.put("traceID", STRING);
        fields.put("resultCode", INT);
        fields.put("respPayload", STRING);
      }
      case DEVICE_ACTION_REPORT -> {
        fields.put("device", DEVICE);
        fields.put("msgToken", STRING);
        fields.put("timestamp", INT);
        fields.put("actionID", STRING);
        fields.put("params", VALUES);
        fields.put("code", INT);
        fields.put("msg", STRING);
        fields.put("dir", STRING);
        fields.put("reqType", STRING);
        fields.put("operatorUserId", INT);
      }
      case DEVICE_CONN -> {
        fields.put("device", DEVICE);
        fields.put("timestamp", INT);
        fields.put("status", INT);
      }
      case DEVICE_OTA_REPORT -> {
        fields.put("device", DEVICE);
        fields.put("timestamp", INT);
        fields.put("status", INT);
        fields.put("detail", STRING);
        fields.put("step", INT);
      }
    }
    return Collections.unmodifiableMap(fields);
  }
}
