package io.thingpush.bench.device;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends the reports of the devices of one event loop, every millisecond on that loop while
 * driving: at a fixed rate, each report carrying the time it was due (a report held back by a
 * full window shows as latency, no coordinated omission), or flat out, every device keeping its
 * window full; then one flush per device that wrote. Every 100 ms it gives up the reports left
 * unanswered past the answer window.
 */
final class Pacer implements Runnable {
  private final EventLoop loop;
  private final List<DeviceConnection> devices;
  private final List<DeviceConnection> touched = new ArrayList<>();
  private final long answerWindowNanos;
  private long nextExpiry;
  private boolean driving;
  private double nanosPerReport;
  private long start;
  private long end;
  private long sent;
  private int cursor;
  private ScheduledFuture<?> task;

  Pacer(EventLoop loop, List<DeviceConnection> devices, long answerWindowNanos) {
    this.loop = loop;
    this.devices = devices;
    this.answerWindowNanos = answerWindowNanos;
    loop.execute(() -> task = loop.scheduleAtFixedRate(this, 1, 1, TimeUnit.MILLISECONDS));
  }

  int devices() {
    return devices.size();
  }

  /** Runs for {@code durationNanos} at {@code reportsPerSecond} over this loop's devices (0: flat out). */
  void start(double reportsPerSecond, long durationNanos) {
    loop.execute(
        () -> {
          nanosPerReport = reportsPerSecond > 0 ? 1e9 / reportsPerSecond : 0;
          start = System.nanoTime();
          end = start + durationNanos;
          sent = 0;
          driving = true;
        });
  }

  void stop() {
    loop.execute(() -> task.cancel(false));
  }

  @Override
  public void run() {
    long now = System.nanoTime();
    if (now >= nextExpiry) {
      nextExpiry = now + 100_000_000L;
      for (DeviceConnection device : devices) {
        device.expire(now, answerWindowNanos);
      }
    }
    driving &= now < end;
    if (!driving) {
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
