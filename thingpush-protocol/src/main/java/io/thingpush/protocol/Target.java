package io.thingpush.protocol;

/**
 * What a subscription watches: one property of one device, one device, a project, or an
 * area with its sub-areas. Identifiers are compared as strings; unused fields are null.
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
    AREA
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

  /**
   * The same target with its strings shared with every equal one (product and project ids
   * recur across many subscriptions); for targets a server keeps for a long time.
   */
  public Target interned() {
    return new Target(kind, intern(productID), intern(deviceName), intern(identifier), intern(projectID), intern(areaID));
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }
}
