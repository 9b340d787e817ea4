package io.thingpush.core.events;

import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;

/**
 * The event log cannot take events now (cluster mode: NATS is unreachable). Nothing was
 * appended, so the source must not acknowledge the event: the HTTP publish API answers 503, the
 * MQTT device endpoint sends no PUBACK / reply. The source may retry once the log is back.
 */
public final class LogUnavailableException extends ThingPushException {
  public LogUnavailableException(String detail) {
    super(ErrorCode.SYSTEM, detail);
  }
}
