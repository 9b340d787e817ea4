package io.thingpush.core.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.events.Event;
import io.thingpush.core.events.InMemoryEventLog;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.core.ingest.IngestMetrics;
import io.thingpush.core.thingmodel.ThingModels;
import io.thingpush.protocol.Json;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** The real core around device messages, with an in-memory log to read what was dispatched. */
final class DeviceFixture {
  static final String MODEL =
      """
      {"properties": [
         {"identifier": "temp", "type": "float", "min": -40, "max": 120, "step": 0.1},
         {"identifier": "on", "type": "bool"}],
       "actions": [{"identifier": "reboot", "input": [{"identifier": "delaySec", "type": "int", "min": 0, "max": 60}]}]}
      """;

  /** A connection of d1 that records what it was sent and how often it was revoked. */
  static final class Recorder implements DeviceConnection {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final AtomicInteger revoked = new AtomicInteger();
    private final Device device;

    Recorder() {
      this("secret");
    }

    /** Logged in with {@code secret}. */
    Recorder(String secret) {
      this.device = new Device("prod", "d1", secret, "default", "p1", null);
    }

    @Override
    public Device device() {
      return device;
    }

    @Override
    public void send(String topic, String payload) {
      sent.add(topic + " " + payload);
    }

    @Override
    public void revoke() {
      revoked.incrementAndGet();
    }
  }

  final InMemoryEventLog log = new InMemoryEventLog(1000, 3_600_000, Clock.systemUTC());
  final Directory directory =
      Directory.of(
          List.of(new Tenant("default", "Default")),
          List.of(new Project("p1", "default", "Plant")),
          List.of(),
          List.of(new Product("prod", "default", "Sensor", Json.parseOrNull(MODEL))),
          List.of(new Device("prod", "d1", "secret", "default", "p1", null)),
          List.of());
  final ThingModels models = new ThingModels();
  final Dispatcher dispatcher;
  final DevicePresence presence;
  final ActionCalls calls;
  final PropertyControls controls;
  final DeviceMessages messages;
  final Recorder device = new Recorder();

  /** Null in embedded mode; else the log between the dispatcher and {@link #log}. */
  final HeldLog held;

  /** Embedded mode: each event is in {@link #log} when its dispatch returns. */
  DeviceFixture() {
    this(false);
  }

  /** With {@code held}, cluster mode: appends complete when {@code held.release()} is called. */
  DeviceFixture(boolean held) {
    this.held = held ? new HeldLog(log) : null;
    this.dispatcher =
        new Dispatcher(
            () -> directory, held ? this.held : log, IngestMetrics.NONE, Clock.systemUTC());
    this.presence = new DevicePresence(dispatcher);
    this.calls = new ActionCalls(() -> directory, models, dispatcher, presence, Clock.systemUTC());
    this.controls =
        new PropertyControls(() -> directory, models, dispatcher, presence, Clock.systemUTC());
    this.messages = new DeviceMessages(() -> directory, models, dispatcher, calls, controls);
  }

  CompletableFuture<Void> receive(String topic, String payload) {
    return messages
        .received(DeviceTopic.parse(topic).orElseThrow(), payload, device)
        .toCompletableFuture();
  }

  List<Event> events() {
    return log.after(0);
  }

  /** Each event as {@code code body}. */
  List<String> described() {
    return events().stream()
        .map(e -> e.code().wire() + " " + Json.text(e.body()))
        .collect(Collectors.toList());
  }

  static JsonNode json(String text) {
    return Json.parseOrNull(text);
  }
}
