package io.thingpush.server.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's native epoll transport where its library loads (Linux x86-64), else NIO, said once in
 * the log. Epoll writes a batch of buffers with one {@code writev} and no {@code ByteBuffer} per
 * buffer, which is most of what a fan-out does.
 */
public enum NativeTransport {
  EPOLL,
  NIO;

  private static final Logger LOG = LoggerFactory.getLogger(NativeTransport.class);
  private static final NativeTransport BEST = Epoll.isAvailable() ? EPOLL : nioFallback();

  /** The transport of this JVM. */
  public static NativeTransport best() {
    return BEST;
  }

  private static NativeTransport nioFallback() {
    LOG.info(
        "native epoll transport unavailable ({}): using NIO",
        Epoll.unavailabilityCause().toString());
    return NIO;
  }

  /**
   * A Vert.x instance on the native transport where it loads: the HTTP APIs and the MQTT endpoint
   * then use epoll as the WebSocket endpoint does.
   */
  public static Vertx vertx() {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(eventLoops()));
    if (!vertx.isNativeTransportEnabled()) {
      LOG.info(
          "Vert.x without its native transport ({}): using NIO",
          String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    return vertx;
  }

  /** The event loops of {@link #vertx()}: Vert.x's default, twice the cores. */
  public static int eventLoops() {
    return VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  /** An event loop group of {@code threads} loops; 0 for Netty's default (twice the cores). */
  public EventLoopGroup group(int threads) {
    IoHandlerFactory factory =
        this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return threads == 0
        ? new MultiThreadIoEventLoopGroup(factory)
        : new MultiThreadIoEventLoopGroup(threads, factory);
  }

  public Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends SocketChannel> socketChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** {@code epoll} or {@code nio}, as reported. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
