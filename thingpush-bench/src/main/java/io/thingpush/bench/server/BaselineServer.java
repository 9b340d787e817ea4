package io.thingpush.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The practical ceiling of the JVM for this job: a raw Netty WebSocket server that broadcasts
 * pre-encoded frames. No framework, auth, index or JSON: each event is encoded once, written to
 * every channel of each event loop by one task, and each channel is flushed once.
 */
public final class BaselineServer implements AutoCloseable {
  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
  private final List<Channel> channels = new ArrayList<>();
  private final Channel server;
  private Channel[] all = new Channel[0];
  private Map<EventLoop, Channel[]> byLoop = Map.of();

  public BaselineServer() throws InterruptedException {
    this.server = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(16 * 1024))
                .addLast(new WebSocketServerProtocolHandler("/", null, false, 65536, false, true))
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

  /** Takes a snapshot of the connected channels for the next broadcasts. */
  public synchronized void snapshot() {
    Map<EventLoop, List<Channel>> grouped = new IdentityHashMap<>();
    for (Channel c : channels) {
      grouped.computeIfAbsent(c.eventLoop(), l -> new ArrayList<>()).add(c);
    }
    Map<EventLoop, Channel[]> next = new IdentityHashMap<>();
    grouped.forEach((loop, list) -> next.put(loop, list.toArray(Channel[]::new)));
    byLoop = next;
    all = channels.toArray(Channel[]::new);
  }

  /** Writes {@code frame} to every channel: one task per event loop, one flush per channel. */
  public void broadcast(byte[] frame) {
    ByteBuf shared = Unpooled.wrappedBuffer(frame);
    byLoop.forEach((loop, targets) -> {
      shared.retain();
      loop.execute(() -> {
        for (Channel c : targets) {
          c.write(new TextWebSocketFrame(shared.retainedDuplicate()), c.voidPromise());
        }
        for (Channel c : targets) {
          c.flush();
        }
        shared.release();
      });
    });
    shared.release();
  }

  /** Writes {@code frame} to channel {@code index} (modulo their number) alone. */
  public void unicast(int index, byte[] frame) {
    Channel c = all[index % all.length];
    c.eventLoop().execute(() -> c.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), c.voidPromise()));
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
