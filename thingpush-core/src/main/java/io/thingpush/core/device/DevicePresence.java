package io.thingpush.core.device;

import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import java.util.HashMap;
import java.util.Map;

/**
 * Which devices are connected, and through which session: turns session starts and ends into
 * deviceConn transitions. A second login of a device takes over from the first, which is then
 * no longer the device's session: its end is no transition (the device never went offline).
 * Transitions are dispatched under the lock so that their order is the order of the state.
 */
public final class DevicePresence implements Downlinks {
  private final DeviceEvents events;
  private final Map<String, Downlink> sessions = new HashMap<>();

  public DevicePresence(Dispatcher dispatcher) {
    this.events = new DeviceEvents(dispatcher);
  }

  /**
   * A session of the device was accepted. Pushes deviceConn online unless the device already
   * had a session, which is returned so that the caller closes it (null when there was none).
   */
  public synchronized Downlink online(String productId, String deviceName, Downlink session) {
    Downlink previous = sessions.get(key(productId, deviceName));
    if (previous == null) {
      events.publish(productId, deviceName, SubCode.DEVICE_CONN, Json.object().put("status", 1));
    }
    sessions.put(key(productId, deviceName), session);
    return previous;
  }

  /** A session ended, however: pushes deviceConn offline when it was the device's session. */
  public synchronized void offline(String productId, String deviceName, Downlink session) {
    if (sessions.remove(key(productId, deviceName), session)) {
      events.publish(productId, deviceName, SubCode.DEVICE_CONN, Json.object().put("status", 2));
    }
  }

  /** How many devices are connected. */
  public synchronized int connected() {
    return sessions.size();
  }

  /** The device's current session. */
  @Override
  public synchronized Downlink to(String productId, String deviceName) {
    return sessions.get(key(productId, deviceName));
  }

  private static String key(String productId, String deviceName) {
    return productId + "/" + deviceName;
  }
}
