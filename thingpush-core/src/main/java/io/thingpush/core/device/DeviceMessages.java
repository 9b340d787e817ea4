package io.thingpush.core.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.Event;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.core.ingest.Dispatcher.Publication;
import io.thingpush.core.thingmodel.DataType;
import io.thingpush.core.thingmodel.ThingModel;
import io.thingpush.core.thingmodel.ThingModels;
import io.thingpush.core.thingmodel.Violation;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.protocol.TraceIds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Turns what a device publishes (SPEC §8) into events and replies: property reports checked
 * against the thing model, action calls and replies, OTA progress; every message in and out
 * also makes a devicePublish. Replies go out only once the log holds the events of the message,
 * so a message whose events could not be taken in is never answered nor acknowledged.
 */
public final class DeviceMessages {
  /** Code of a report that breaks the thing model (i-Things). */
  public static final int MODEL_VIOLATION = 406;

  private final Supplier<Directory> directory;
  private final ThingModels models;
  private final DeviceEvents events;
  private final ActionCalls calls;
  private final PropertyControls controls;

  public DeviceMessages(
      Supplier<Directory> directory,
      ThingModels models,
      Dispatcher dispatcher,
      ActionCalls calls,
      PropertyControls controls) {
    this.directory = directory;
    this.models = models;
    this.events = new DeviceEvents(dispatcher);
    this.calls = calls;
    this.controls = controls;
  }

  /** A result of handling one message: the reply code and its text. */
  private record Outcome(int code, String msg) {
    static final Outcome OK = new Outcome(200, "success");

    static Outcome of(ThingPushException e) {
      return new Outcome(e.code().code(), e.message(Lang.EN));
    }
  }

  /**
   * Handles one message a device published on one of its up topics; replies (if any) go to
   * {@code replyTo}. Completes once the log holds every event of the message and its reply: the
   * message may be acknowledged then. Never throws: the stage fails with ThingPushException
   * 100009 when the topic names no device of the registry (nothing is done), or with the
   * dispatcher's refusal of an event (no reply is sent then).
   */
  public CompletionStage<Void> received(DeviceTopic topic, String payload, Downlink replyTo) {
    Directory dir = directory.get();
    Device device = dir.device(topic.productId(), topic.deviceName()).orElse(null);
    if (device == null) {
      return CompletableFuture.failedFuture(
          new ThingPushException(
              ErrorCode.NOT_FOUND,
              "device " + topic.productId() + "/" + topic.deviceName() + " not found"));
    }
    ThingModel model = dir.product(device.productId()).map(models::of).orElseThrow();
    Envelope msg = Envelope.read(payload);
    return switch (topic.kind()) {
      case PROPERTY_UP -> property(topic, payload, msg, model, replyTo);
      case ACTION_UP -> action(topic, payload, msg, model, replyTo);
      case OTA_UP -> ota(topic, payload, msg);
      default -> throw new IllegalArgumentException("not an up topic: " + topic.topic());
    };
  }

  private CompletionStage<Void> property(
      DeviceTopic topic, String payload, Envelope msg, ThingModel model, Downlink replyTo) {
    if ("controlReply".equals(msg.method())) {
      return controlReply(topic, payload, msg, replyTo);
    }
    Outcome outcome;
    ObjectNode params = null;
    JsonNode timestamp = null;
    try {
      msg.requireWellFormed();
      if (!msg.method().equals("report")) {
        throw unsupported(msg, topic);
      }
      params = msg.params(true);
      timestamp = timestamp(msg.json().get("timestamp"));
      List<Violation> violations = model.checkProperties(params);
      outcome =
          violations.isEmpty()
              ? Outcome.OK
              : new Outcome(MODEL_VIOLATION, ActionCalls.join(violations));
    } catch (ThingPushException e) {
      outcome = Outcome.of(e);
    }
    String traceId = TraceIds.next();
    String reply = reply("reportReply", msg.msgToken(), outcome, null);
    List<Publication> report = new ArrayList<>();
    report.add(devicePublish(topic, msg, payload, traceId, outcome.code(), reply));
    if (outcome == Outcome.OK) {
      DeviceEvents.addReported(report, params, timestamp, null);
    }
    return respond(
        topic,
        report,
        DeviceTopic.Kind.PROPERTY_DOWN,
        "reportReply",
        msg.msgToken(),
        traceId,
        outcome,
        reply,
        replyTo);
  }

  private CompletionStage<Void> action(
      DeviceTopic topic, String payload, Envelope msg, ThingModel model, Downlink replyTo) {
    if (msg.method() != null && msg.method().equals("actionReply")) {
      return actionReply(topic, payload, msg, replyTo);
    }
    Outcome outcome;
    String actionId = null;
    ObjectNode params = null;
    try {
      msg.requireWellFormed();
      if (!msg.method().equals("action")) {
        throw unsupported(msg, topic);
      }
      actionId = msg.text("actionID");
      params = msg.params(false);
      String id = actionId;
      ThingModel.Action action =
          model
              .action(id)
              .orElseThrow(
                  () ->
                      new ThingPushException(
                          ErrorCode.NOT_FOUND, "action " + id + " is not in the thing model"));
      List<Violation> violations = action.checkInput(params);
      outcome =
          violations.isEmpty()
              ? Outcome.OK
              : new Outcome(MODEL_VIOLATION, ActionCalls.join(violations));
    } catch (ThingPushException e) {
      outcome = Outcome.of(e);
    }
    String traceId = TraceIds.next();
    String reply = reply("actionReply", msg.msgToken(), outcome, actionId);
    List<Publication> call = new ArrayList<>();
    call.add(devicePublish(topic, msg, payload, traceId, outcome.code(), reply));
    if (outcome == Outcome.OK) {
      call.add(DeviceEvents.action(msg.msgToken(), actionId, params, 200, "", "up", "req", null));
    }
    return respond(
        topic,
        call,
        DeviceTopic.Kind.ACTION_DOWN,
        "actionReply",
        msg.msgToken(),
        traceId,
        outcome,
        reply,
        replyTo);
  }

  /** A device's answer to a call: pushed with the call's action; an error reply only when malformed. */
  private CompletionStage<Void> actionReply(
      DeviceTopic topic, String payload, Envelope msg, Downlink replyTo) {
    return answer(
        topic,
        payload,
        msg,
        replyTo,
        DeviceTopic.Kind.ACTION_DOWN,
        "actionReply",
        (code, text, params) -> {
          ActionCalls.Call call =
              calls.answered(topic.productId(), topic.deviceName(), msg.msgToken(), msg.json());
          return call == null
              ? null
              : events
                  .action(
                      topic.productId(),
                      topic.deviceName(),
                      msg.msgToken(),
                      call.actionId(),
                      params,
                      code,
                      text,
                      "up",
                      "resp",
                      call.operatorUserId())
                  .thenApply(e -> null);
        });
  }

  /**
   * A device's answer to a property control: a successful one records the controlled values as
   * its report (with the control's operator); an error reply only when malformed.
   */
  private CompletionStage<Void> controlReply(
      DeviceTopic topic, String payload, Envelope msg, Downlink replyTo) {
    return answer(
        topic,
        payload,
        msg,
        replyTo,
        DeviceTopic.Kind.PROPERTY_DOWN,
        "controlReply",
        (code, text, params) ->
            controls.answered(
                topic.productId(), topic.deviceName(), msg.msgToken(), code, msg.json()));
  }

  /** What a reply to a waiting request adds to its devicePublish; null when no request waits for it. */
  @FunctionalInterface
  private interface Answered {
    CompletionStage<Void> events(int code, String text, ObjectNode params);
  }

  /** A device's reply ({@code code}, {@code msg}, {@code params}) to a request the cloud sent it. */
  private CompletionStage<Void> answer(
      DeviceTopic topic,
      String payload,
      Envelope msg,
      Downlink replyTo,
      DeviceTopic.Kind errorTo,
      String method,
      Answered answered) {
    String traceId = TraceIds.next();
    int code;
    String text;
    ObjectNode params;
    try {
      msg.requireWellFormed();
      JsonNode codeNode = msg.json().get("code");
      if (codeNode == null || !codeNode.isIntegralNumber() || !codeNode.canConvertToInt()) {
        throw Envelope.bad("code must be an integer");
      }
      JsonNode msgNode = msg.json().get("msg");
      if (msgNode != null && !msgNode.isNull() && !msgNode.isTextual()) {
        throw Envelope.bad("msg must be a string");
      }
      code = codeNode.intValue();
      text = msgNode == null || msgNode.isNull() ? "" : msgNode.textValue();
      params = msg.params(false);
    } catch (ThingPushException e) {
      Outcome outcome = Outcome.of(e);
      String reply = reply(method, msg.msgToken(), outcome, null);
      List<Publication> refused = new ArrayList<>();
      refused.add(devicePublish(topic, msg, payload, traceId, outcome.code(), reply));
      return respond(
          topic, refused, errorTo, method, msg.msgToken(), traceId, outcome, reply, replyTo);
    }
    CompletionStage<Void> followed = answered.events(code, text, params);
    if (followed == null) {
      // No request waits for this token (never made, or timed out): recorded, pushed nowhere else.
      Outcome none =
          Outcome.of(
              new ThingPushException(
                  ErrorCode.NOT_FOUND, "no call or control waits for msgToken " + msg.msgToken()));
      return message(topic, msg, payload, traceId, none.code(), "").thenApply(e -> null);
    }
    return DeviceEvents.all(
        List.of(
            message(topic, msg, payload, traceId, 200, ""), followed.thenApply(v -> (Event) null)));
  }

  /** OTA progress has no reply topic: a bad message is recorded in devicePublish with its code only. */
  private CompletionStage<Void> ota(DeviceTopic topic, String payload, Envelope msg) {
    Outcome outcome = Outcome.OK;
    ObjectNode report = null;
    try {
      msg.requireWellFormed();
      if (!msg.method().equals("reportProgress")) {
        throw unsupported(msg, topic);
      }
      ObjectNode params = msg.params(true);
      JsonNode step = params.get("step");
      if (step == null || !step.isIntegralNumber() || step.asLong() < -4 || step.asLong() > 100) {
        throw Envelope.bad("params.step must be an integer from -4 to 100");
      }
      JsonNode desc = params.get("desc");
      if (desc != null && !desc.isNull() && !desc.isTextual()) {
        throw Envelope.bad("params.desc must be a string");
      }
      int s = step.intValue();
      report =
          Json.object()
              .put("step", s)
              .put("status", s < 0 ? 6 : s == 100 ? 5 : 4)
              .put("detail", desc == null || desc.isNull() ? "" : desc.textValue());
    } catch (ThingPushException e) {
      outcome = Outcome.of(e);
    }
    List<Publication> progress = new ArrayList<>();
    progress.add(devicePublish(topic, msg, payload, TraceIds.next(), outcome.code(), ""));
    if (report != null) {
      progress.add(new Publication(SubCode.DEVICE_OTA_REPORT, report));
    }
    return events.publishAll(topic.productId(), topic.deviceName(), progress).thenApply(e -> null);
  }

  /** Publishes the devicePublish of a message the device sent, with the result of handling it. */
  private CompletionStage<Event> message(
      DeviceTopic topic, Envelope msg, String payload, String traceId, int code, String reply) {
    return events.publish(
        topic.productId(),
        topic.deviceName(),
        devicePublish(topic, msg, payload, traceId, code, reply));
  }

  private static Publication devicePublish(
      DeviceTopic topic, Envelope msg, String payload, String traceId, int code, String reply) {
    return DeviceEvents.message(
        topic.topic(), msg.action(), payload, msg.msgToken(), traceId, code, reply);
  }

  /**
   * Appends the events of a message and then its reply's devicePublish (of the same trace), in
   * one append, and sends the reply once the log holds them all: a message whose events could
   * not be taken in is never answered.
   */
  private CompletionStage<Void> respond(
      DeviceTopic topic,
      List<Publication> published,
      DeviceTopic.Kind kind,
      String method,
      String msgToken,
      String traceId,
      Outcome outcome,
      String reply,
      Downlink replyTo) {
    String down = DeviceTopic.of(kind, topic.productId(), topic.deviceName());
    published.add(DeviceEvents.message(down, method, reply, msgToken, traceId, outcome.code(), ""));
    return events
        .publishAll(topic.productId(), topic.deviceName(), published)
        .thenAccept(appended -> replyTo.send(down, reply));
  }

  private static String reply(String method, String msgToken, Outcome outcome, String actionId) {
    return ReplyJson.of(method, msgToken, actionId, outcome.code(), outcome.msg());
  }

  /** The report's own timestamp when it has one (checked), else null: the ingest time applies. */
  private static JsonNode timestamp(JsonNode given) {
    if (given == null || given.isNull()) {
      return null;
    }
    List<Violation> problems = new ArrayList<>();
    new DataType.Timestamp().check(given, "timestamp", problems);
    if (!problems.isEmpty()) {
      throw Envelope.bad(problems.get(0).toString());
    }
    return given;
  }

  private static ThingPushException unsupported(Envelope msg, DeviceTopic topic) {
    return new ThingPushException(
        ErrorCode.METHOD_NOT_SUPPORTED, "method " + msg.method() + " on " + topic.kind().prefix());
  }
}
