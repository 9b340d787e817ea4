package io.thingpush.bench.net;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's native epoll transport where its library loads (Linux x86-64), else NIO, said once in
 * the log: the baseline and the generator use the fastest transport the machine has.
 */
public enum Transport {
  EPOLL, NIO;

  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
  private static final Transport BEST = Epoll.isAvailable() ? EPOLL : nioFallback();

  /** The transport of this JVM. */
  public static Transport best() {
    return BEST;
  }

  private static Transport nioFallback() {
    LOG.warn("native epoll unavailable ({}): NIO instead", Epoll.unavailabilityCause().toString());
    return NIO;
  }

  public EventLoopGroup group(int threads) {
    IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return threads == 0 ? new MultiThreadIoEventLoopGroup(factory) : new MultiThreadIoEventLoopGroup(threads, factory);
  }

  public Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends SocketChannel> socketChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** {@code epoll} or {@code nio}, as reported. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
