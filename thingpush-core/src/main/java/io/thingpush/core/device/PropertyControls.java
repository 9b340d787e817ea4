package io.thingpush.core.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Completions;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.core.thingmodel.ThingModel;
import io.thingpush.core.thingmodel.ThingModels;
import io.thingpush.core.thingmodel.Violation;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceIds;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Cloud → device property control (i-Things' property control, SPEC §8): checks the values
 * against the thing model (406 and nothing sent when they break it), sends {@code control} with a
 * new {@code msgToken} on the device's property down topic and waits for the {@code controlReply}
 * that carries it back. A successful reply records the controlled values as the device's property
 * report, as i-Things does, carrying the operator who asked for the control.
 */
public final class PropertyControls {
  /** What the reply to a control needs to know of it. */
  record Control(ObjectNode params, Long operatorUserId) {}

  private final Supplier<Directory> directory;
  private final ThingModels models;
  private final DeviceEvents events;
  private final Downlinks downlinks;
  private final Clock clock;
  private final PendingReplies<Control> pending = new PendingReplies<>();

  public PropertyControls(
      Supplier<Directory> directory,
      ThingModels models,
      Dispatcher dispatcher,
      Downlinks downlinks,
      Clock clock) {
    this.directory = directory;
    this.models = models;
    this.events = new DeviceEvents(dispatcher);
    this.downlinks = downlinks;
    this.clock = clock;
  }

  /**
   * Sets the properties {@code params} of a device ({@code tenantCode} not null: only that
   * tenant's devices) on behalf of {@code operatorUserId} (null: no operator). The future completes
   * with the device's {@code controlReply}, or with a {@link java.util.concurrent.TimeoutException}
   * when none came within {@code timeout}, or with the dispatcher's refusal of the control's event
   * (then it was not sent).
   *
   * @throws ThingPushException 100009 for an unknown device or one that cannot be reached, 100006
   *     for params that are not a non-empty object
   * @throws ModelViolation for values that break the thing model (nothing is sent)
   */
  public CompletableFuture<ObjectNode> control(
      String tenantCode,
      String productId,
      String deviceName,
      JsonNode params,
      Long operatorUserId,
      Duration timeout) {
    Directory dir = directory.get();
    Device device = ActionCalls.device(dir, tenantCode, productId, deviceName);
    if (params == null || !params.isObject() || params.isEmpty()) {
      throw new ThingPushException(ErrorCode.PARAMETER, "params must be a non-empty object");
    }
    ThingModel model = dir.product(device.productId()).map(models::of).orElseThrow();
    List<Violation> violations = model.checkProperties((ObjectNode) params);
    if (!violations.isEmpty()) {
      throw new ModelViolation(ActionCalls.join(violations));
    }
    Downlink downlink = ActionCalls.downlink(downlinks, productId, deviceName);
    String token = ActionCalls.newToken();
    ObjectNode message =
        Json.object()
            .put("method", "control")
            .put("msgToken", token)
            .put("timestamp", clock.millis());
    message.set("params", params);
    String content = Json.text(message);
    String topic = DeviceTopic.of(DeviceTopic.Kind.PROPERTY_DOWN, productId, deviceName);
    CompletableFuture<ObjectNode> reply =
        pending.await(
            productId,
            deviceName,
            token,
            new Control(((ObjectNode) params).deepCopy(), operatorUserId),
            timeout);
    // Sent only once the log holds it: a control is never unrecorded.
    events
        .message(productId, deviceName, topic, "control", content, token, TraceIds.next(), 200, "")
        .whenComplete(
            (event, failure) -> {
              if (failure == null) {
                downlink.send(topic, content);
              } else {
                reply.completeExceptionally(Completions.cause(failure));
              }
            });
    return reply;
  }

  /**
   * A device answered control {@code msgToken} with {@code code}: completes the waiting control
   * and, when the device took the values (200), records them as its property report carrying the
   * control's operator. Null when no control waits for that token (unknown, or timed out).
   */
  CompletionStage<Void> answered(
      String productId, String deviceName, String msgToken, int code, ObjectNode reply) {
    Control control = pending.answered(productId, deviceName, msgToken, reply);
    if (control == null) {
      return null;
    }
    if (code != 200) {
      return CompletableFuture.completedFuture(null);
    }
    return events
        .reported(productId, deviceName, control.params(), null, control.operatorUserId())
        .thenApply(e -> null);
  }
}
