package io.thingpush.core.device;

/**
 * Values that break the product's thing model: refused with code 406 (i-Things' code for it),
 * and nothing is sent to the device.
 */
public final class ModelViolation extends RuntimeException {
  public static final int CODE = 406;

  public ModelViolation(String detail) {
    super(detail, null, false, false);
  }
}
