package io.thingpush.server.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.thingmodel.ThingModel;
import io.thingpush.core.thingmodel.ThingModels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs simulated devices against an MQTT endpoint (ThingPush's own, or a broker it bridges):
 * on each tick one device does what a real one would — mostly a property report, now and then
 * OTA progress or an action of its own; every {@code dropEvery} one device drops its connection
 * and comes back two seconds later.
 */
public final class Simulator implements AutoCloseable {
  private static final long RESTORE_AFTER_MS = 2000;

  private final Vertx vertx;
  private final List<SimulatedDevice> devices = new ArrayList<>();
  private final Random random = new Random();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final List<String> connectFailures = new CopyOnWriteArrayList<>();
  private long timer = -1;
  private long dropTimer = -1;
  private long tick;

  private Simulator(Vertx vertx, List<SimulatedDevice.Spec> specs, String host, int port) {
    this.vertx = vertx;
    for (SimulatedDevice.Spec spec : specs) {
      devices.add(
          new SimulatedDevice(vertx, spec, host, port, random, sent, answered, RESTORE_AFTER_MS));
    }
  }

  /**
   * Connects every device (one that cannot is listed in {@link #connectFailures()}, for the
   * caller to report, and stays idle), then ticks.
   */
  public static Simulator start(
      Vertx vertx,
      List<SimulatedDevice.Spec> specs,
      String host,
      int port,
      double ticksPerSecond,
      Duration dropEvery) {
    Simulator simulator = new Simulator(vertx, specs, host, port);
    List<Future<Void>> connects = new ArrayList<>();
    for (SimulatedDevice device : simulator.devices) {
      connects.add(
          device
              .connect()
              .onFailure(
                  e -> simulator.connectFailures.add(device.name() + ": " + e.getMessage())));
    }
    Future.join(connects).otherwiseEmpty().await();
    // Timers fire at most every millisecond: above 1000/s, each firing does several activities.
    long periodMs = Math.max(1, Math.round(1000 / ticksPerSecond));
    long perFiring = Math.max(1, Math.round(ticksPerSecond * periodMs / 1000));
    simulator.timer =
        vertx.setPeriodic(
            periodMs,
            t -> {
              for (long i = 0; i < perFiring; i++) {
                simulator.tick();
              }
            });
    if (!dropEvery.isZero()) {
      simulator.dropTimer = vertx.setPeriodic(dropEvery.toMillis(), t -> simulator.dropOne());
    }
    return simulator;
  }

  /** The devices of a registry snapshot, each with its product's thing model. */
  public static List<SimulatedDevice.Spec> devicesOf(Directory directory, ThingModels models) {
    List<SimulatedDevice.Spec> specs = new ArrayList<>();
    directory
        .devices()
        .forEach(
            d ->
                directory
                    .product(d.productId())
                    .ifPresent(
                        p ->
                            specs.add(
                                new SimulatedDevice.Spec(
                                    d.productId(), d.deviceName(), d.secret(), models.of(p)))));
    return specs;
  }

  /** The devices of a registry file (docs/registry.md), at most {@code max} of them. */
  public static List<SimulatedDevice.Spec> devicesOf(JsonNode registryFile, int max) {
    Map<String, ThingModel> models = new HashMap<>();
    registryFile
        .path("products")
        .forEach(p -> models.put(p.path("id").asText(), ThingModel.parse(p.path("thingModel"))));
    List<SimulatedDevice.Spec> specs = new ArrayList<>();
    for (JsonNode d : registryFile.path("devices")) {
      ThingModel model = models.get(d.path("productID").asText());
      if (specs.size() < max && model != null) {
        specs.add(
            new SimulatedDevice.Spec(
                d.path("productID").asText(),
                d.path("deviceName").asText(),
                d.path("secret").asText(),
                model));
      }
    }
    return specs;
  }

  /** Why devices could not connect at the start, one line each ("product/device: cause"). */
  public List<String> connectFailures() {
    return List.copyOf(connectFailures);
  }

  /**
   * Property reports answered with {@code reportReply}: ThingPush answers each (through the
   * broker in bridge mode), a plain broker none.
   */
  public long reportsAnswered() {
    return answered.get();
  }

  /** Messages the devices have published so far. */
  public long messagesSent() {
    return sent.get();
  }

  /** Devices connected now. */
  public long connected() {
    return devices.stream().filter(SimulatedDevice::connected).count();
  }

  public int size() {
    return devices.size();
  }

  private void tick() {
    if (devices.isEmpty()) {
      return;
    }
    SimulatedDevice device = devices.get(random.nextInt(devices.size()));
    tick++;
    if (tick % 15 == 0) {
      device.callAction();
    } else if (tick % 7 == 0) {
      device.otaProgress();
    } else {
      device.report();
    }
  }

  private void dropOne() {
    if (!devices.isEmpty()) {
      devices.get(random.nextInt(devices.size())).drop();
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(dropTimer);
    List<Future<Void>> closes = new ArrayList<>();
    devices.forEach(d -> closes.add(d.close()));
    Future.join(closes).otherwiseEmpty().await();
  }
}
