package io.thingpush.server.registry;

import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;

/**
 * A write refused because of what the registry holds, not because of the request's form: an id
 * already taken, a delete of something still in use, a move that would make a cycle (100006;
 * HTTP 409).
 */
public final class RegistryConflict extends ThingPushException {
  public RegistryConflict(String detail) {
    super(ErrorCode.PARAMETER, detail);
  }
}
