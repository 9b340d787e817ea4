package io.thingpush.bench.device;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.thingpush.bench.BenchRegistry;
import io.thingpush.server.net.NativeTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The simulated devices: one MQTT connection each to a loopback endpoint (ThingPush's own or a
 * broker), logged in as the bench registry's devices, on a few threads of the native transport.
 */
public final class MqttDevices implements AutoCloseable {
  private final NativeTransport transport = NativeTransport.best();
  private final EventLoopGroup group;
  private final DeviceStats stats = new DeviceStats();
  private final List<Channel> channels = new ArrayList<>();
  private final List<Pacer> pacers = new ArrayList<>();
  private int count;

  public MqttDevices(int threads) {
    this.group = transport.group(threads);
  }

  public DeviceStats stats() {
    return stats;
  }

  /**
   * Connects {@code count} devices to 127.0.0.1:{@code port}, each awaiting its replies when
   * {@code replies} (at most {@code window} reports at once, each for {@code answerWindow}), and
   * waits until all are ready.
   */
  public void connect(
      int port,
      int count,
      boolean replies,
      int window,
      int padBytes,
      Duration answerWindow,
      Duration timeout)
      throws InterruptedException {
    this.count = count;
    ReportPayload payload = new ReportPayload(padBytes);
    Map<EventLoop, List<DeviceConnection>> byLoop = new IdentityHashMap<>();
    List<CompletableFuture<Void>> readies = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      String name = BenchRegistry.deviceName(d);
      String p = BenchRegistry.PRODUCT;
      CompletableFuture<Void> ready = new CompletableFuture<>();
      DeviceConnection device =
          new DeviceConnection(
              "bench-" + name,
              p + "&" + name,
              BenchRegistry.SECRET,
              "$thing/up/property/" + p + "/" + name,
              replies ? "$thing/down/property/" + p + "/" + name : null,
              payload,
              window,
              stats,
              ready);
      ChannelFuture connected =
          new Bootstrap()
              .group(group)
              .channel(transport.socketChannel())
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(device)
              .connect(new InetSocketAddress("127.0.0.1", port));
      connected.addListener(
          f -> {
            if (!f.isSuccess()) {
              ready.completeExceptionally(f.cause());
            }
          });
      channels.add(connected.channel());
      byLoop.computeIfAbsent(connected.channel().eventLoop(), l -> new ArrayList<>()).add(device);
      readies.add(ready);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int d = 0; d < count; d++) {
      try {
        readies.get(d).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("device " + d + " of " + count + " not ready: " + e, e);
      }
    }
    byLoop.forEach((loop, devices) -> pacers.add(new Pacer(loop, devices, answerWindow.toNanos())));
  }

  /** Sends reports for {@code duration} at {@code reportsPerSecond} over all devices (0: flat out); returns at once. */
  public void drive(double reportsPerSecond, Duration duration) {
    for (Pacer pacer : pacers) {
      pacer.start(reportsPerSecond * pacer.devices() / count, duration.toNanos());
    }
  }

  @Override
  public void close() {
    pacers.forEach(Pacer::stop);
    channels.forEach(Channel::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
