package io.thingpush.core.fanout;

import io.thingpush.core.events.Event;
import io.thingpush.protocol.SubCode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code throttleMs} of one connection (SPEC §2): at most one push per device and property
 * (per device for V2) per interval. The first push of a quiet stream goes at once; what comes
 * during the interval replaces what waits, and the newest is pushed when the interval ends, so
 * the last value of a burst is never lost. Confined to the connection's executor.
 */
final class Throttle {
  private static final class Slot {
    Event pendingEvent;
    byte[] pendingFrame;
    Set<String> pendingIdentifiers;
  }

  private final Recipient recipient;
  private final Map<String, Slot> slots = new HashMap<>();

  Throttle(Recipient recipient) {
    this.recipient = recipient;
  }

  /** @param identifiers those of a V2 frame cut to them, else null */
  void offer(Event event, byte[] frame, Set<String> identifiers, long intervalMillis) {
    String key = key(event);
    Slot slot = slots.get(key);
    if (slot != null) {
      slot.pendingEvent = event;
      slot.pendingFrame = frame;
      slot.pendingIdentifiers = identifiers;
      return;
    }
    recipient.writeThrottled(event, frame, identifiers);
    slot = new Slot();
    slots.put(key, slot);
    schedule(key, slot, intervalMillis);
  }

  /** {@code event} went out unthrottled: a value still waiting for its key is older, drop it. */
  void pushedDirectly(Event event) {
    Slot slot = slots.get(key(event));
    if (slot != null) {
      slot.pendingEvent = null;
      slot.pendingFrame = null;
    }
  }

  private void schedule(String key, Slot slot, long intervalMillis) {
    recipient
        .executor()
        .schedule(
            () -> intervalEnded(key, slot, intervalMillis), intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void intervalEnded(String key, Slot slot, long intervalMillis) {
    Event event = slot.pendingEvent;
    if (event == null || recipient.isClosed()) {
      slots.remove(key);
      return;
    }
    byte[] frame = slot.pendingFrame;
    Set<String> identifiers = slot.pendingIdentifiers;
    slot.pendingEvent = null;
    slot.pendingFrame = null;
    slot.pendingIdentifiers = null;
    if (recipient.stillWants(event)) {
      recipient.writeThrottled(event, frame, identifiers);
      recipient.flush();
    }
    schedule(key, slot, intervalMillis);
  }

  private static String key(Event event) {
    String device =
        event.code().wire() + '\u0000' + event.productId() + '\u0000' + event.deviceName();
    return event.code() == SubCode.DEVICE_PROPERTY_REPORT
        ? device + '\u0000' + event.body().get("identifier").asText()
        : device;
  }
}
