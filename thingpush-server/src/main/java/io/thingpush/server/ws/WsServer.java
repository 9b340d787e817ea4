package io.thingpush.server.ws;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.thingpush.core.session.Session;
import io.thingpush.core.session.Sessions;
import io.thingpush.protocol.CloseCode;
import io.thingpush.server.config.ThingPushConfig;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The WebSocket endpoint: a Netty server whose connection pipeline is laid out in {@link #pipeline}. */
public final class WsServer implements AutoCloseable {
  private static final int MAX_UPGRADE_REQUEST_BYTES = 16 * 1024;
  private static final long DRAIN_MILLIS = 3_000;

  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
  private final Sessions sessions;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel server;

  private WsServer(ThingPushConfig.Ws config, Sessions sessions) throws InterruptedException {
    this.sessions = sessions;
    AtomicLong connectIds = new AtomicLong();
    WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath(config.path())
        .checkStartsWith(true)
        .dropPongFrames(false)
        .handshakeTimeoutMillis(10_000)
        .decoderConfig(WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(config.maxMessageBytes())
            .withUTF8Validator(false)
            .build())
        .build();
    this.server = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            connections.add(channel);
            pipeline(channel, config, protocol, connectIds::incrementAndGet);
          }
        })
        .bind(new InetSocketAddress(config.host(), config.port()))
        .sync()
        .channel();
  }

  /** Every stage of a connection, in order. */
  private void pipeline(
      SocketChannel channel, ThingPushConfig.Ws config, WebSocketServerProtocolConfig protocol,
      java.util.function.LongSupplier connectIds) {
    channel.pipeline()
        .addLast("http-codec", new HttpServerCodec())
        .addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES))
        .addLast("upgrade-guard", new UpgradeGuard(config.path()))
        .addLast("websocket", new WebSocketServerProtocolHandler(protocol))
        .addLast("message-assembler", new MessageAssembler(config.maxMessageBytes()))
        .addLast("heartbeat", new Heartbeat(config.pingIntervalMs(), config.pingMisses()))
        .addLast("session", new SessionHandler(sessions, connectIds));
  }

  public static WsServer start(ThingPushConfig.Ws config, Sessions sessions) {
    try {
      return new WsServer(config, sessions);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the WebSocket port", e);
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /**
   * Stops accepting, tells every client to reconnect elsewhere (4009) after what was queued for
   * it, waits a bounded time for the connections to close, then stops the threads.
   */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    for (Session session : sessions.open()) {
      session.recipient().executor().execute(() -> session.close(CloseCode.SHUTDOWN, "server shutting down"));
    }
    connections.newCloseFuture().awaitUninterruptibly(DRAIN_MILLIS);
    workers.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }
}
