package io.thingpush.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
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
 * The simulated apps: WebSocket connections on a few client threads, opened from several
 * loopback source addresses (127.0.0.1, 127.0.0.2…) so that their number is not bounded by one
 * address's ephemeral ports.
 */
public final class LoadClients implements AutoCloseable {
  private static final int CONNECTING_AT_ONCE = 256;

  private final EventLoopGroup group;
  private final Receipts receipts;
  private final List<Channel> channels = new ArrayList<>();

  public LoadClients(int threads, Receipts receipts) {
    this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    this.receipts = receipts;
  }

  /**
   * Opens {@code count} connections to {@code uri} (a loopback address) and waits until each is
   * ready.
   *
   * @param subscribeOf the {@code up.sub} message of connection k; null against the baseline
   * @param stalled whether connection k stops reading once ready
   */
  public void connect(URI uri, int count, IntFunction<String> subscribeOf, IntFunction<Boolean> stalled,
      int sourceAddresses, boolean deflate, Duration timeout) throws InterruptedException {
    InetSocketAddress remote = new InetSocketAddress(loopback(uri.getHost()), uri.getPort());
    Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
    List<CompletableFuture<Void>> readies = new ArrayList<>(count);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int k = 0; k < count; k++) {
      if (!connecting.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("only " + k + " of " + count + " connections ready within " + timeout);
      }
      CompletableFuture<Void> ready = new CompletableFuture<>();
      ready.whenComplete((v, e) -> connecting.release());
      readies.add(ready);
      ClientHandler handler = new ClientHandler(subscribeOf == null ? null : subscribeOf.apply(k), stalled.apply(k),
          receipts, ready);
      InetSocketAddress local = new InetSocketAddress(sourceAddress(k % sourceAddresses), 0);
      ChannelFuture connected = bootstrap(uri, handler, deflate).connect(remote, local);
      synchronized (channels) {
        channels.add(connected.channel());
      }
      connected.addListener(f -> {
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

  private Bootstrap bootstrap(URI uri, ClientHandler handler, boolean deflate) {
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        .version(WebSocketVersion.V13)
        .allowExtensions(deflate)
        .customHeaders(new DefaultHttpHeaders())
        .maxFramePayloadLength(1 << 20)
        .handleCloseFrames(false)
        .handshakeTimeoutMillis(60_000)
        .build();
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(new HttpClientCodec()).addLast(new HttpObjectAggregator(8192));
            if (deflate) {
              channel.pipeline().addLast(WebSocketClientCompressionHandler.INSTANCE);
            }
            channel.pipeline().addLast(new WebSocketClientProtocolHandler(config)).addLast(handler);
          }
        });
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
        throw new IllegalArgumentException("the load generator only targets loopback addresses, not " + host);
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
