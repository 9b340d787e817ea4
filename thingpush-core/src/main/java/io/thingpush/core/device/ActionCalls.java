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
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Cloud → device action calls: checks the call against the thing model, sends {@code action}
 * with a new {@code msgToken} and waits for the {@code actionReply} that carries it back.
 */
public final class ActionCalls {
  /** What the reply to a call needs to know of it. */
  record Call(String actionId, Long operatorUserId) {}

  private final Supplier<Directory> directory;
  private final ThingModels models;
  private final DeviceEvents events;
  private final Downlinks downlinks;
  private final Clock clock;
  private final PendingReplies<Call> pending = new PendingReplies<>();

  public ActionCalls(
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
   * Calls action {@code actionId} of a device ({@code tenantCode} not null: only that tenant's
   * devices) on behalf of {@code operatorUserId} (null: no operator), whom the call's action
   * reports carry. The future completes with the device's {@code actionReply} message, or with a
   * {@link java.util.concurrent.TimeoutException} when none came within {@code timeout}, or with
   * the dispatcher's refusal of the call's events (then the call was not sent).
   *
   * @throws ThingPushException 100009 for an unknown device or action or a device that cannot be
   *     reached, 100006 for params that break the action's input definition
   */
  public CompletableFuture<ObjectNode> call(
      String tenantCode,
      String productId,
      String deviceName,
      String actionId,
      JsonNode params,
      Long operatorUserId,
      Duration timeout) {
    Directory dir = directory.get();
    Device device = device(dir, tenantCode, productId, deviceName);
    ThingModel model = dir.product(device.productId()).map(models::of).orElseThrow();
    ThingModel.Action action =
        model
            .action(actionId)
            .orElseThrow(
                () ->
                    new ThingPushException(
                        ErrorCode.NOT_FOUND,
                        "action "
                            + actionId
                            + " is not in the thing model of product "
                            + productId));
    JsonNode input = params == null || params.isNull() ? Json.object() : params;
    if (!input.isObject()) {
      throw new ThingPushException(ErrorCode.PARAMETER, "params must be an object");
    }
    List<Violation> violations = action.checkInput(input);
    if (!violations.isEmpty()) {
      throw new ThingPushException(ErrorCode.PARAMETER, join(violations));
    }
    Downlink downlink = downlink(downlinks, productId, deviceName);
    String token = newToken();
    ObjectNode message =
        Json.object()
            .put("method", "action")
            .put("msgToken", token)
            .put("actionID", actionId)
            .put("timestamp", clock.millis());
    message.set("params", input);
    String content = Json.text(message);
    String topic = DeviceTopic.of(DeviceTopic.Kind.ACTION_DOWN, productId, deviceName);
    CompletableFuture<ObjectNode> reply =
        pending.await(productId, deviceName, token, new Call(actionId, operatorUserId), timeout);
    // The call goes to the device only once the log holds its events: a call is never unrecorded.
    events
        .publishAll(
            productId,
            deviceName,
            List.of(
                DeviceEvents.message(topic, "action", content, token, TraceIds.next(), 200, ""),
                DeviceEvents.action(
                    token, actionId, input, 200, "", "down", "req", operatorUserId)))
        .whenComplete(
            (v, failure) -> {
              if (failure == null) {
                downlink.send(topic, content);
              } else {
                reply.completeExceptionally(Completions.cause(failure));
              }
            });
    return reply;
  }

  /**
   * A device answered call {@code msgToken}: completes the waiting call and returns it, or null
   * when no call waits for that token (unknown, or already timed out).
   */
  Call answered(String productId, String deviceName, String msgToken, ObjectNode reply) {
    return pending.answered(productId, deviceName, msgToken, reply);
  }

  static String join(List<Violation> violations) {
    return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }

  /** The device of a request ({@code tenantCode} not null: only that tenant's), else 100009. */
  static Device device(Directory dir, String tenantCode, String productId, String deviceName) {
    return dir.device(productId, deviceName)
        .filter(d -> tenantCode == null || d.tenantCode().equals(tenantCode))
        .orElseThrow(
            () ->
                new ThingPushException(
                    ErrorCode.NOT_FOUND, "device " + productId + "/" + deviceName + " not found"));
  }

  /** The way to a device now, else 100009. */
  static Downlink downlink(Downlinks downlinks, String productId, String deviceName) {
    Downlink downlink = downlinks.to(productId, deviceName);
    if (downlink == null) {
      throw new ThingPushException(
          ErrorCode.NOT_FOUND, "device " + productId + "/" + deviceName + " is not connected");
    }
    return downlink;
  }

  /** A new msgToken: 16 hex digits. */
  static String newToken() {
    return TraceIds.next().substring(0, 16);
  }
}
