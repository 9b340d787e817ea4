package io.thingpush.core.device;

import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Completions;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Which devices are connected, and through which session: turns session starts and ends into
 * deviceConn transitions. A second login of a device takes over from the first, which is then
 * no longer the device's session: its end is no transition (the device never went offline).
 * A registry change that deletes a device or changes its secret revokes its session.
 * Transitions are dispatched under the lock so that their order in the log is the order of the
 * state.
 */
public final class DevicePresence implements Downlinks {
  private final DeviceEvents events;
  private final Map<String, DeviceConnection> sessions = new HashMap<>();

  public DevicePresence(Dispatcher dispatcher) {
    this.events = new DeviceEvents(dispatcher);
  }

  /**
   * A session of the device was accepted: it becomes the device's session, and deviceConn
   * online is pushed unless the device already had one. Completes, once the log holds the
   * online event, with the device's previous session for the caller to close (null when there
   * was none); fails when the event could not be taken in, and the caller closes this session.
   */
  public synchronized CompletionStage<DeviceConnection> online(
      String productId, String deviceName, DeviceConnection session) {
    DeviceConnection previous = sessions.put(key(productId, deviceName), session);
    if (previous != null) {
      return CompletableFuture.completedFuture(previous);
    }
    return events
        .publish(productId, deviceName, SubCode.DEVICE_CONN, Json.object().put("status", 1))
        .handle(
            (event, failure) -> {
              if (failure != null) {
                // Never online in the log, so its end must not be an offline transition either.
                forget(productId, deviceName, session);
                throw new CompletionException(Completions.cause(failure));
              }
              return null;
            });
  }

  private synchronized void forget(String productId, String deviceName, DeviceConnection session) {
    sessions.remove(key(productId, deviceName), session);
  }

  /**
   * A session ended, however: pushes deviceConn offline when it was the device's session.
   * Completes once the log holds that event (at once when there is none).
   */
  public synchronized CompletionStage<?> offline(
      String productId, String deviceName, DeviceConnection session) {
    if (sessions.remove(key(productId, deviceName), session)) {
      return events.publish(
          productId, deviceName, SubCode.DEVICE_CONN, Json.object().put("status", 2));
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * A registry change went live, from {@code before} to {@code after}: revokes each session whose
   * device {@code after} no longer holds, or holds with another secret than the session logged in
   * with. Once per change, one look-up per connected device, none when the change left the
   * devices alone; never per message. A deleted device's session stops being its session at once
   * and pushes nothing: no event can name a device that no longer exists. Any other revoked
   * session pushes its offline when it ends, as every session does.
   */
  public synchronized void revokeLogins(Directory before, Directory after) {
    if (before.deviceTable() == after.deviceTable()) {
      return;
    }
    for (Iterator<DeviceConnection> it = sessions.values().iterator(); it.hasNext(); ) {
      DeviceConnection session = it.next();
      Optional<Device> now =
          after.device(session.device().productId(), session.device().deviceName());
      if (now.isPresent() && now.get().secret().equals(session.device().secret())) {
        continue;
      }
      if (now.isEmpty()) {
        it.remove();
      }
      session.revoke();
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
