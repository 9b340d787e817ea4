package io.thingpush.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.thingpush.bench.net.WebSocketFrames;
import io.thingpush.server.net.NativeTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The practical ceiling of the JVM for this job: everything ThingPush's write path does except
 * auth, index, JSON and log. Native epoll (NIO where it cannot load); each event encoded once
 * into a complete WebSocket frame (header and payload) that every channel gets a retained
 * duplicate of; events batched per event loop ({@link LoopBatch}), one flush per channel per
 * batch.
 */
public final class BaselineServer implements AutoCloseable {
  private final NativeTransport transport = NativeTransport.best();
  private final EventLoopGroup boss = transport.group(1);
  private final EventLoopGroup workers = transport.group(0);
  private final List<Channel> channels = new ArrayList<>();
  private final Channel server;
  private Channel[] all = new Channel[0];
  private Map<EventLoop, LoopBatch> byLoop = Map.of();

  public BaselineServer() throws InterruptedException {
    this.server =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(16 * 1024))
                        .addLast(
                            new WebSocketServerProtocolHandler(
                                "/", null, false, 65536, false, true))
                        .addLast(new Register());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public NativeTransport transport() {
    return transport;
  }

  /** Takes a snapshot of the connected channels for the next events. */
  public synchronized void snapshot() {
    Map<EventLoop, List<Channel>> grouped = new IdentityHashMap<>();
    for (Channel c : channels) {
      grouped.computeIfAbsent(c.eventLoop(), l -> new ArrayList<>()).add(c);
    }
    Map<EventLoop, LoopBatch> next = new IdentityHashMap<>();
    grouped.forEach(
        (loop, list) -> next.put(loop, new LoopBatch(loop, list.toArray(Channel[]::new))));
    byLoop = next;
    all = channels.toArray(Channel[]::new);
  }

  /** Sends {@code payload} to every channel. */
  public void broadcast(byte[] payload) {
    ByteBuf frame = WebSocketFrames.serverText(payload, PooledByteBufAllocator.DEFAULT);
    for (LoopBatch batch : byLoop.values()) {
      batch.post(frame.retain(), null);
    }
    frame.release();
  }

  /** Sends {@code payload} to channel {@code index} (modulo their number) alone. */
  public void unicast(int index, byte[] payload) {
    Channel target = all[index % all.length];
    byLoop
        .get(target.eventLoop())
        .post(WebSocketFrames.serverText(payload, PooledByteBufAllocator.DEFAULT), target);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Keeps each upgraded channel; drops whatever the client sends. */
  private final class Register extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        synchronized (BaselineServer.this) {
          channels.add(ctx.channel());
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      synchronized (BaselineServer.this) {
        channels.remove(ctx.channel());
      }
      ctx.fireChannelInactive();
    }
  }
}
