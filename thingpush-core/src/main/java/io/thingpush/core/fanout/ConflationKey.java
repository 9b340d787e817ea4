package io.thingpush.core.fanout;

import io.thingpush.core.events.Event;
import io.thingpush.protocol.SubCode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a queued frame may be replaced by (SPEC §6): a newer frame of the same code and device
 * carrying values of exactly the same properties, so that replacing it loses no value. A
 * {@code devicePropertyReport} carries one property; a {@code devicePropertyReportV2} frame the
 * properties of its report (or those a connection's identifier subscriptions cut it to). Other
 * codes have no key: they are never replaced or reordered.
 */
record ConflationKey(SubCode code, String productId, String deviceName, Set<String> identifiers) {

  /** The key of {@code event}'s frame; {@code identifiers} those of a cut V2 frame, else null. Null for other codes. */
  static ConflationKey of(Event event, Set<String> identifiers) {
    return switch (event.code()) {
      case DEVICE_PROPERTY_REPORT ->
          new ConflationKey(
              event.code(),
              event.productId(),
              event.deviceName(),
              Set.of(event.body().get("identifier").asText()));
      case DEVICE_PROPERTY_REPORT_V2 ->
          new ConflationKey(
              event.code(),
              event.productId(),
              event.deviceName(),
              identifiers != null ? identifiers : reported(event));
      default -> null;
    };
  }

  private static Set<String> reported(Event event) {
    Set<String> all = new LinkedHashSet<>();
    event.body().get("params").fieldNames().forEachRemaining(all::add);
    return all;
  }
}
