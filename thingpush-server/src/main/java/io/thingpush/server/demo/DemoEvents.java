package io.thingpush.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.SubCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the demo lively: on each tick one device does something a real one would (reports its
 * properties, goes offline and back, answers an action, upgrades its firmware), producing
 * events of all six codes through the same dispatcher the publish API feeds.
 */
public final class DemoEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoEvents.class);

  private final Supplier<Directory> directory;
  private final Dispatcher dispatcher;
  private final Random random = new Random();
  private final Map<String, Integer> otaStep = new HashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-events");
    t.setDaemon(true);
    return t;
  });
  private long tick;

  public DemoEvents(Supplier<Directory> directory, Dispatcher dispatcher) {
    this.directory = directory;
    this.dispatcher = dispatcher;
  }

  public void start(double ticksPerSecond) {
    long periodMicros = (long) (1_000_000 / ticksPerSecond);
    timer.scheduleAtFixedRate(this::safeTick, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("demo event failed: {}", e.getMessage());
    }
  }

  private void tick() {
    List<Device> devices = new ArrayList<>(directory.get().devices());
    if (devices.isEmpty()) {
      return;
    }
    Device device = devices.get(random.nextInt(devices.size()));
    tick++;
    if (tick % 40 == 0) {
      connection(device);
    } else if (tick % 15 == 0) {
      action(device);
    } else if (tick % 7 == 0) {
      ota(device);
    } else {
      report(device);
    }
  }

  private void report(Device device) {
    JsonNode model = directory.get().product(device.productId()).map(p -> p.thingModel()).orElse(null);
    ObjectNode params = Json.object();
    if (model != null && model.has("properties")) {
      for (JsonNode property : model.get("properties")) {
        params.set(property.get("identifier").asText(), DemoValues.of(property, random));
      }
    }
    if (params.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    String token = msgToken();
    ObjectNode report = Json.object().put("method", "report").put("msgToken", token).put("timestamp", now);
    report.set("params", params);
    publish(device, SubCode.DEVICE_PUBLISH, Json.object()
        .put("topic", "$thing/up/property/" + device.productId() + "/" + device.deviceName())
        .put("action", "report").put("content", Json.text(report)).put("requestID", token)
        .put("resultCode", 200).put("timestamp", now));
    params.fields().forEachRemaining(p -> publish(device, SubCode.DEVICE_PROPERTY_REPORT,
        Json.object().put("identifier", p.getKey()).put("timestamp", now).set("param", p.getValue())));
    ObjectNode v2 = Json.object().put("timestamp", now);
    v2.set("params", params);
    publish(device, SubCode.DEVICE_PROPERTY_REPORT_V2, v2);
  }

  private void connection(Device device) {
    publish(device, SubCode.DEVICE_CONN, Json.object().put("status", 2));
    timer.schedule(() -> publish(device, SubCode.DEVICE_CONN, Json.object().put("status", 1)),
        2, TimeUnit.SECONDS);
  }

  private void action(Device device) {
    String token = msgToken();
    ObjectNode call = Json.object().put("actionID", "reboot").put("msgToken", token)
        .put("dir", "down").put("reqType", "req");
    call.putObject("params").put("delaySec", 0);
    publish(device, SubCode.DEVICE_ACTION_REPORT, call);
    publish(device, SubCode.DEVICE_ACTION_REPORT, Json.object().put("actionID", "reboot").put("msgToken", token)
        .put("dir", "up").put("reqType", "resp").put("code", 200).put("msg", "success"));
  }

  private void ota(Device device) {
    String key = device.productId() + "/" + device.deviceName();
    int step = Math.min(100, otaStep.getOrDefault(key, -10) + 10);
    otaStep.put(key, step >= 100 ? -10 : step);
    publish(device, SubCode.DEVICE_OTA_REPORT, Json.object().put("step", step)
        .put("status", step >= 100 ? 5 : 4).put("detail", step >= 100 ? "upgrade succeeded" : "downloading"));
  }

  private void publish(Device device, SubCode code, ObjectNode payload) {
    dispatcher.publish("demo", null, code, device.productId(), device.deviceName(), payload);
  }

  private String msgToken() {
    return Long.toHexString(random.nextLong());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
