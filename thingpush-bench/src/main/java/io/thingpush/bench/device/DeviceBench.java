package io.thingpush.bench.device;

import io.thingpush.bench.Mix;
import io.thingpush.bench.load.Dialect;
import io.thingpush.bench.load.LoadClients;
import io.thingpush.bench.load.MqttWsDialect;
import io.thingpush.bench.load.Receipts;
import io.thingpush.bench.load.ThingPushDialect;
import io.thingpush.bench.run.Counters;
import io.thingpush.bench.run.ServerProcess;
import io.thingpush.bench.run.ThingPushApps;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Runs the simulated devices and apps over one {@link DevicePath}: starts what the path needs
 * (a ThingPush node in a JVM of its own, a private Mosquitto, or both), connects the apps, then
 * the devices, and measures each load step.
 */
final class DeviceBench {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);

  /** Every app's subscription: the property reports of every device, on ThingPush and on the broker. */
  private static final String APP_FILTER =
      "$thing/up/property/" + io.thingpush.bench.BenchRegistry.PRODUCT + "/+";

  private final DeviceSettings settings;
  private final PrintWriter log;

  DeviceBench(DeviceSettings settings, PrintWriter log) {
    this.settings = settings;
    this.log = log;
  }

  DeviceResults.PathRun run(DevicePath path) throws Exception {
    log.printf(Locale.ROOT, "%s: starting%n", path.label());
    try (PrivateMosquitto broker = path.broker() ? PrivateMosquitto.start(START_TIMEOUT) : null;
        ServerProcess node =
            path.thingpush()
                ? ServerProcess.start(
                    settings.serverJvm(), serverCommand(path, broker), log, START_TIMEOUT)
                : null;
        LoadClients apps = new LoadClients(settings.clientThreads(), new Receipts());
        MqttDevices devices = new MqttDevices(settings.clientThreads())) {
      Receipts receipts = apps.receipts();
      int appPort = path.thingpush() ? node.port("ws") : broker.wsPort();
      IntFunction<Dialect> dialect =
          path.thingpush()
              ? k ->
                  new ThingPushDialect(
                      ThingPushApps.target(),
                      Mix.parse("project").subscribeMessage(k, settings.devices()))
              : k -> new MqttWsDialect("bench-app-" + k, APP_FILTER);
      log.printf(
          Locale.ROOT,
          "%s: connecting %,d apps and %,d devices%n",
          path.label(),
          settings.apps(),
          settings.devices());
      apps.connect(
          URI.create("ws://127.0.0.1:" + appPort + "/"),
          settings.apps(),
          dialect,
          k -> false,
          1,
          false,
          CONNECT_TIMEOUT);
      devices.connect(
          path == DevicePath.EMBEDDED ? node.port("mqtt") : broker.mqttPort(),
          settings.devices(),
          path.thingpush(),
          settings.window(),
          settings.padBytes(),
          settings.answerWindow(),
          CONNECT_TIMEOUT);
      Meter meter = new Meter(path, node, broker, devices.stats(), receipts, settings.apps());
      if (!settings.jitWarmup().isZero()) {
        log.printf(
            Locale.ROOT,
            "%s: %d s flat out to warm up the JIT%n",
            path.label(),
            settings.jitWarmup().toSeconds());
        devices.drive(0, settings.jitWarmup());
        Thread.sleep(settings.jitWarmup().toMillis());
        meter.drain(settings.answerWindow());
      }
      List<DeviceResults.Step> steps = new ArrayList<>();
      for (String load : settings.loads()) {
        DeviceResults.Step step = step(devices, meter, load);
        log.printf(
            Locale.ROOT,
            "%s %s: %,.0f device messages/s, %,.0f deliveries/s, device→app p50 %.2f ms p99 %.2f ms, "
                + "unanswered %d, lost %d%n",
            path.label(),
            load,
            step.messagesPerSecond(),
            step.deliveriesPerSecond(),
            step.p50Ms(),
            step.p99Ms(),
            step.unanswered(),
            step.lost());
        steps.add(step);
      }
      return new DeviceResults.PathRun(
          path, settings.devices(), settings.apps(), devices.stats().disconnected(), steps);
    }
  }

  private List<String> serverCommand(DevicePath path, PrivateMosquitto broker) {
    List<String> command =
        new ArrayList<>(List.of("server", "--devices", Integer.toString(settings.devices())));
    if (path == DevicePath.EMBEDDED) {
      command.add("--mqtt");
    } else {
      command.addAll(List.of("--bridge-port", Integer.toString(broker.mqttPort())));
    }
    return command;
  }

  private DeviceResults.Step step(MqttDevices devices, Meter meter, String load) throws Exception {
    double rate = load.equals("max") ? 0 : Double.parseDouble(load);
    Meter.Reading start = meter.read();
    devices.drive(rate, settings.duration());
    Thread.sleep(settings.warmup().toMillis());
    meter.resetLatencies();
    Meter.Reading from = meter.read();
    Thread.sleep(settings.duration().minus(settings.warmup()).toMillis());
    Meter.Reading to = meter.read();
    Histogram latency = meter.receipts().latencySinceLastCall();
    Histogram puback = meter.stats().ackRttSinceLastCall();
    Histogram reply = meter.stats().replyRttSinceLastCall();
    meter.drain(settings.answerWindow());
    Meter.Reading end = meter.read();
    double seconds = (to.nanos() - from.nanos()) / 1e9;
    long messages = to.answered() - from.answered();
    long delivered = to.deliveries() - from.deliveries();
    long sent = end.sent() - start.sent();
    double serverNanos = (to.nodeCpu() - from.nodeCpu()) + (to.brokerCpu() - from.brokerCpu());
    return new DeviceResults.Step(
        load.equals("max") ? "max" : load + "/s",
        rate,
        sent,
        messages / seconds,
        (to.events() - from.events()) / seconds,
        delivered / seconds,
        ms(latency.getValueAtPercentile(50)),
        ms(latency.getValueAtPercentile(99)),
        ms(latency.getValueAtPercentile(99.9)),
        ms(puback.getValueAtPercentile(99)),
        meter.replies() ? ms(reply.getValueAtPercentile(99)) : Double.NaN,
        (to.nodeCpu() - from.nodeCpu()) / 1e9 / seconds,
        (to.brokerCpu() - from.brokerCpu()) / 1e9 / seconds,
        messages == 0 ? 0 : serverNanos / 1e3 / messages,
        (to.selfCpu() - from.selfCpu()) / 1e9 / seconds,
        delivered == 0 ? 0 : (to.selfCpu() - from.selfCpu()) / 1e3 / delivered,
        end.unanswered() - start.unanswered(),
        end.refused() - start.refused(),
        Math.max(0, sent * settings.apps() - (end.deliveries() - start.deliveries())));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Reads what the devices, the apps and the servers did so far. */
  private record Meter(
      DevicePath path,
      ServerProcess node,
      PrivateMosquitto broker,
      DeviceStats stats,
      Receipts receipts,
      int apps) {
    record Reading(
        long nanos,
        long sent,
        long answered,
        long unanswered,
        long refused,
        long deliveries,
        double events,
        long nodeCpu,
        long brokerCpu,
        long selfCpu) {}

    boolean replies() {
      return path.thingpush();
    }

    Reading read() throws IOException, InterruptedException {
      return new Reading(
          System.nanoTime(),
          stats.sent(),
          stats.answered(),
          stats.unanswered(),
          stats.refused(),
          receipts.deliveries(),
          node == null
              ? 0
              : Counters.sum(Counters.scrape(node.port("management")), "thingpush_events_in_total"),
          node == null ? 0 : node.cpuNanos(),
          broker == null ? 0 : ServerProcess.ProcStats.cpuNanos(broker.pid()),
          ServerProcess.ProcStats.cpuNanos(ProcessHandle.current().pid()));
    }

    void resetLatencies() {
      receipts.latencySinceLastCall();
      stats.ackRttSinceLastCall();
      stats.replyRttSinceLastCall();
    }

    /**
     * Waits for what is still on its way: until every report sent so far was answered or given
     * up, and every answered one delivered to every app, or deliveries stopped for two seconds
     * with every report settled, or the answer window and a second passed.
     */
    void drain(Duration window) throws InterruptedException {
      long deadline = System.nanoTime() + window.plusSeconds(1).toNanos();
      long quietSince = System.nanoTime();
      long last = -1;
      while (System.nanoTime() < deadline) {
        boolean settled = stats.answered() + stats.unanswered() == stats.sent();
        long delivered = receipts.deliveries();
        if (settled && delivered >= stats.sent() * apps) {
          return;
        }
        if (delivered != last) {
          last = delivered;
          quietSince = System.nanoTime();
        } else if (settled && System.nanoTime() - quietSince > Duration.ofSeconds(2).toNanos()) {
          return;
        }
        Thread.sleep(50);
      }
    }
  }
}
