package io.thingpush.protocol;

import java.util.Objects;

/**
 * What a subscription watches: one property of one device (for deviceActionReport, one action),
 * one device, a project, an area with its sub-areas, or every device shared with the user.
 * Identifiers are compared as strings; unused fields are null.
 */
public record Target(
    Kind kind,
    String productID,
    String deviceName,
    String identifier,
    String projectID,
    String areaID) {

  public enum Kind {
    PROPERTY,
    DEVICE,
    PROJECT,
    AREA,
    /** {@code {shareDevice: true}}: every device shared with the connection's user, as the shares change. */
    SHARES,
    /**
     * One device as a share reaches it: the index key a {@link #SHARES} subscription is routed by,
     * one per device shared with its user. Every event has one; no client ever names one.
     */
    SHARED_DEVICE
  }

  private static final Target SHARES_TARGET = new Target(Kind.SHARES, null, null, null, null, null);

  // Written out rather than the record's own: fan-out compares and hashes targets for every key of
  // every event, and these skip the generated method handles and the kind's identity hash.
  @Override
  public boolean equals(Object o) {
    return o == this
        || o instanceof Target t
            && t.kind == kind
            && Objects.equals(t.productID, productID)
            && Objects.equals(t.deviceName, deviceName)
            && Objects.equals(t.identifier, identifier)
            && Objects.equals(t.projectID, projectID)
            && Objects.equals(t.areaID, areaID);
  }

  @Override
  public int hashCode() {
    int h = kind.ordinal();
    h = 31 * h + Objects.hashCode(productID);
    h = 31 * h + Objects.hashCode(deviceName);
    h = 31 * h + Objects.hashCode(identifier);
    h = 31 * h + Objects.hashCode(projectID);
    return 31 * h + Objects.hashCode(areaID);
  }

  public static Target property(String productID, String deviceName, String identifier) {
    return new Target(Kind.PROPERTY, productID, deviceName, identifier, null, null);
  }

  public static Target device(String productID, String deviceName) {
    return new Target(Kind.DEVICE, productID, deviceName, null, null, null);
  }

  public static Target project(String projectID) {
    return new Target(Kind.PROJECT, null, null, null, projectID, null);
  }

  public static Target area(String projectID, String areaID) {
    return new Target(Kind.AREA, null, null, null, projectID, areaID);
  }

  public static Target shares() {
    return SHARES_TARGET;
  }

  public static Target sharedDevice(String productID, String deviceName) {
    return new Target(Kind.SHARED_DEVICE, productID, deviceName, null, null, null);
  }

  /**
   * The same target with its strings shared with every equal one (product and project ids
   * recur across many subscriptions); for targets a server keeps for a long time.
   */
  public Target interned() {
    if (kind == Kind.SHARES) {
      return this;
    }
    return new Target(
        kind,
        intern(productID),
        intern(deviceName),
        intern(identifier),
        intern(projectID),
        intern(areaID));
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }
}
