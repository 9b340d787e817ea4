package io.thingpush.bench.device;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends the reports of the devices of one event loop, every millisecond on that loop: at a fixed
 * rate, each report carrying the time it was due (a report held back by a full window shows as
 * latency, no coordinated omission), or flat out, every device keeping its window full. Then one
 * flush per device that wrote.
 */
final class Pacer implements Runnable {
  private final EventLoop loop;
  private final List<DeviceConnection> devices;
  private final List<DeviceConnection> touched = new ArrayList<>();
  private double nanosPerReport;
  private long start;
  private long end;
  private long sent;
  private int cursor;
  private ScheduledFuture<?> task;

  Pacer(EventLoop loop, List<DeviceConnection> devices) {
    this.loop = loop;
    this.devices = devices;
  }

  int devices() {
    return devices.size();
  }

  /** Runs for {@code durationNanos} at {@code reportsPerSecond} over this loop's devices (0: flat out). */
  void start(double reportsPerSecond, long durationNanos) {
    loop.execute(() -> {
      nanosPerReport = reportsPerSecond > 0 ? 1e9 / reportsPerSecond : 0;
      start = System.nanoTime();
      end = start + durationNanos;
      sent = 0;
      task = loop.scheduleAtFixedRate(this, 0, 1, TimeUnit.MILLISECONDS);
    });
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    if (now >= end) {
      task.cancel(false);
      return;
    }
    if (nanosPerReport > 0) {
      while (start + sent * nanosPerReport <= now) {
        DeviceConnection device = nextWithRoom();
        if (device == null) {
          break;
        }
        device.report(start + (long) (sent * nanosPerReport));
        sent++;
      }
    } else {
      for (DeviceConnection device : devices) {
        while (device.hasRoom()) {
          device.report(now);
          touch(device);
        }
      }
    }
    for (DeviceConnection device : touched) {
      device.flush();
    }
    touched.clear();
  }

  private DeviceConnection nextWithRoom() {
    for (int i = 0; i < devices.size(); i++) {
      DeviceConnection device = devices.get(cursor);
      cursor = (cursor + 1) % devices.size();
      if (device.hasRoom()) {
        touch(device);
        return device;
      }
    }
    return null;
  }

  private void touch(DeviceConnection device) {
    if (touched.isEmpty() || touched.get(touched.size() - 1) != device) {
      touched.add(device);
    }
  }
}
