package io.thingpush.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.thingpush.server.net.NativeTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The simulated apps: lean WebSocket connections ({@link AppConnection}) on a few client threads
 * of the native transport, opened from several loopback source addresses (127.0.0.1, 127.0.0.2…) so that their number is not bounded by one
 * address's ephemeral ports.
 */
public final class LoadClients implements AutoCloseable {
  private static final int CONNECTING_AT_ONCE = 256;

  private final NativeTransport transport = NativeTransport.best();
  private final EventLoopGroup group;
  private final Receipts receipts;
  private final List<Channel> channels = new ArrayList<>();

  public LoadClients(int threads, Receipts receipts) {
    this.group = transport.group(threads);
    this.receipts = receipts;
  }

  /**
   * Opens {@code count} connections to {@code uri} (a loopback address) and waits until each is
   * ready.
   *
   * @param dialectOf what connection k says before it counts pushes
   * @param stalled whether connection k stops reading once ready
   */
  public void connect(
      URI uri,
      int count,
      IntFunction<Dialect> dialectOf,
      IntFunction<Boolean> stalled,
      int sourceAddresses,
      boolean deflate,
      Duration timeout)
      throws InterruptedException {
    InetSocketAddress remote = new InetSocketAddress(loopback(uri.getHost()), uri.getPort());
    Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
    List<CompletableFuture<Void>> readies = new ArrayList<>(count);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int k = 0; k < count; k++) {
      if (!connecting.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException(
            "only " + k + " of " + count + " connections ready within " + timeout);
      }
      CompletableFuture<Void> ready = new CompletableFuture<>();
      ready.whenComplete((v, e) -> connecting.release());
      readies.add(ready);
      AppConnection app =
          new AppConnection(
              uri.getHost() + ":" + uri.getPort(),
              dialectOf.apply(k),
              stalled.apply(k),
              deflate,
              receipts,
              ready);
      InetSocketAddress local = new InetSocketAddress(sourceAddress(k % sourceAddresses), 0);
      ChannelFuture connected =
          new Bootstrap()
              .group(group)
              .channel(transport.socketChannel())
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(app)
              .connect(remote, local);
      synchronized (channels) {
        channels.add(connected.channel());
      }
      connected.addListener(
          f -> {
            if (!f.isSuccess()) {
              ready.completeExceptionally(f.cause());
            }
          });
    }
    for (int k = 0; k < count; k++) {
      try {
        readies.get(k).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("connection " + k + " of " + count + " not ready: " + e, e);
      }
    }
  }

  public Receipts receipts() {
    return receipts;
  }

  /** Connections still open. */
  public int open() {
    synchronized (channels) {
      return (int) channels.stream().filter(Channel::isActive).count();
    }
  }

  private static InetAddress loopback(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      if (!address.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "the load generator only targets loopback addresses, not " + host);
      }
      return address;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + host, e);
    }
  }

  private static InetAddress sourceAddress(int index) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + index)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    synchronized (channels) {
      channels.forEach(Channel::close);
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
