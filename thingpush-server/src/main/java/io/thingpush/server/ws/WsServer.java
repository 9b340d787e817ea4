package io.thingpush.server.ws;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.thingpush.core.session.ConnectParams;
import io.thingpush.core.session.Session;
import io.thingpush.core.session.Sessions;
import io.thingpush.protocol.CloseCode;
import io.thingpush.server.config.PortTaken;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.net.NativeTransport;
import io.thingpush.server.observe.ServerMetrics;
import io.thingpush.server.sse.SseHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The WebSocket endpoint, and on its port the event streams (SSE): a Netty server whose connection
 * pipeline is laid out in {@link #pipeline}.
 */
public final class WsServer implements AutoCloseable {
  private static final int MAX_UPGRADE_REQUEST_BYTES = 16 * 1024;
  private static final List<String> WEBSOCKET_STAGES =
      List.of("permessage-deflate", "websocket", "client-frames", "session");
  private static final String SHUTTING_DOWN = "server shutting down";
  // After the drain, how long closing connections may take to say goodbye.
  private static final long CLOSE_WAIT_MILLIS = 2_000;

  private final NativeTransport transport = NativeTransport.best();
  private final EventLoopGroup boss = transport.group(1);
  private final EventLoopGroup workers = transport.group(0);
  private final Sessions sessions;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ServerMetrics metrics;
  private final Channel server;
  private final long drainMillis;
  private final Heartbeat heartbeat;
  private final SessionOpener opener;

  private WsServer(
      ThingPushConfig.Ws config,
      Sessions sessions,
      ConnectParams params,
      LongSupplier connectIds,
      ServerMetrics metrics) {
    this.sessions = sessions;
    this.drainMillis = config.drainMs();
    this.metrics = metrics;
    this.heartbeat = new Heartbeat(config.pingIntervalMs(), config.pingMisses());
    this.opener = new SessionOpener(sessions, params, connectIds, metrics);
    WebSocketServerProtocolConfig protocol =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(config.path())
            .checkStartsWith(true)
            .dropPongFrames(false)
            .handshakeTimeoutMillis(config.handshakeTimeoutMs())
            .handleCloseFrames(false)
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(config.maxMessageBytes())
                    .allowExtensions(config.compression())
                    // Frame errors reach the session handler, which closes through the one counted
                    // path.
                    .closeOnProtocolViolation(false)
                    .withUTF8Validator(false)
                    .build())
            .build();
    ChannelFuture bound =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            // One for all connections (it holds only settings): else each makes its own.
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    connections.add(channel);
                    pipeline(channel, config, protocol, params, connectIds);
                  }
                })
            .bind(new InetSocketAddress(config.host(), config.port()))
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw PortTaken.orElse(bound.cause(), "ws.port", config.host(), config.port());
    }
    this.server = bound.channel();
  }

  /** Every stage of a connection, in order. */
  private void pipeline(
      SocketChannel channel,
      ThingPushConfig.Ws config,
      WebSocketServerProtocolConfig protocol,
      ConnectParams params,
      LongSupplier connectIds) {
    channel
        .pipeline()
        .addLast(
            "http-codec",
            new HttpServerCodec(
                new HttpDecoderConfig()
                    .setMaxInitialLineLength(config.maxRequestLineBytes())
                    .setMaxHeaderSize(config.maxHeaderBytes())))
        .addLast("upgrade-deadline", new UpgradeDeadline(config.handshakeTimeoutMs()))
        .addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES))
        .addLast("upgrade-guard", new UpgradeGuard(config))
        .addLast(
            "event-stream",
            new SseHandler(
                sessions,
                params,
                connectIds,
                metrics,
                config.pingIntervalMs(),
                WsServer::leaveWebSocket));
    if (config.compression()) {
      channel
          .pipeline()
          .addLast(
              "permessage-deflate",
              new WebSocketServerCompressionHandler(config.maxMessageBytes()));
    }
    channel
        .pipeline()
        .addLast("websocket", new WebSocketServerProtocolHandler(protocol))
        .addLast("client-frames", new ClientFrames(config.maxMessageBytes(), heartbeat, metrics))
        .addLast("session", new SessionHandler(opener));
  }

  /** An event stream (SSE) takes the place of the WebSocket stages. */
  private static void leaveWebSocket(ChannelPipeline pipeline) {
    for (String stage : WEBSOCKET_STAGES) {
      if (pipeline.get(stage) != null) {
        pipeline.remove(stage);
      }
    }
  }

  /** @param connectIds the connectIDs of this node: unique over the cluster, never reused */
  public static WsServer start(
      ThingPushConfig.Ws config,
      Sessions sessions,
      ConnectParams params,
      LongSupplier connectIds,
      ServerMetrics metrics) {
    return new WsServer(config, sessions, params, connectIds, metrics);
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /**
   * Drains: stops accepting, lets every connection take what is queued for it and closes it with
   * 4009 (reconnect elsewhere); those still busy after {@code ws.drainMs} are closed then.
   */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    for (Session session : sessions.open()) {
      session
          .recipient()
          .executor()
          .execute(() -> session.drain(CloseCode.SHUTDOWN, SHUTTING_DOWN));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
    while (!sessions.open().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Session session : sessions.open()) {
      session
          .recipient()
          .executor()
          .execute(() -> session.close(CloseCode.SHUTDOWN, SHUTTING_DOWN));
    }
    connections.newCloseFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
    workers.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }
}
