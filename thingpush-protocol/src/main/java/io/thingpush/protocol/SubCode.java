package io.thingpush.protocol;

import java.util.HashMap;
import java.util.Map;

/** The six subscription codes; each event carries one of them. */
public enum SubCode {
  DEVICE_PROPERTY_REPORT("devicePropertyReport", true),
  DEVICE_PROPERTY_REPORT_V2("devicePropertyReportV2", true),
  DEVICE_PUBLISH("devicePublish", false),
  DEVICE_ACTION_REPORT("deviceActionReport", false),
  DEVICE_CONN("deviceConn", false),
  DEVICE_OTA_REPORT("deviceOtaReport", false);

  private static final Map<String, SubCode> BY_WIRE = new HashMap<>();

  static {
    for (SubCode c : values()) {
      BY_WIRE.put(c.wire, c);
    }
  }

  private final String wire;
  private final boolean property;

  SubCode(String wire, boolean property) {
    this.wire = wire;
    this.property = property;
  }

  /** The code as it appears on the wire, e.g. {@code devicePropertyReport}. */
  public String wire() {
    return wire;
  }

  /** Property codes accept {@code identifier}, {@code snapshot} and {@code throttleMs}. */
  public boolean isProperty() {
    return property;
  }

  /**
   * Codes whose events set a state of the device (its connection, its upgrade's progress), which
   * {@code snapshot} sends as property values are sent (SPEC §10).
   */
  public boolean isState() {
    return this == DEVICE_CONN || this == DEVICE_OTA_REPORT;
  }

  /** The code with this wire name, or null. */
  public static SubCode fromWire(String wire) {
    return BY_WIRE.get(wire);
  }
}
