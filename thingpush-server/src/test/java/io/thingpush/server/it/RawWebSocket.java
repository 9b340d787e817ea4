package io.thingpush.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.thingpush.client.CloseStatus;
import io.thingpush.protocol.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare WebSocket client on Netty for what the JDK client cannot do: send a text frame whose
 * bytes are not UTF-8, and never answer the server's pings.
 */
public final class RawWebSocket implements AutoCloseable {
  private static final EventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("it-raw-ws", true), NioIoHandler.newFactory());

  private final boolean answerPings;
  private final boolean deflate;
  private volatile String extensions;
  private final WebSocketClientHandshaker handshaker;
  private final CompletableFuture<Void> handshake = new CompletableFuture<>();
  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final AtomicInteger pings = new AtomicInteger();
  private final CompletableFuture<CloseStatus> closeFrame = new CompletableFuture<>();
  private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
  private Channel channel;

  private RawWebSocket(URI uri, Map<String, String> headers, boolean answerPings, boolean deflate) {
    this.answerPings = answerPings;
    this.deflate = deflate;
    HttpHeaders extra = new DefaultHttpHeaders();
    headers.forEach(extra::add);
    this.handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(
            uri, WebSocketVersion.V13, null, deflate, extra, 1 << 20);
  }

  /** Connects and completes the upgrade; fails when the server does not upgrade. */
  public static RawWebSocket connect(URI uri, Map<String, String> headers, boolean answerPings) {
    return connect(uri, headers, answerPings, false);
  }

  /** Connects, offering permessage-deflate when {@code deflate}; a small receive buffer makes a paused client back up fast. */
  public static RawWebSocket connect(
      URI uri, Map<String, String> headers, boolean answerPings, boolean deflate) {
    RawWebSocket ws = new RawWebSocket(uri, headers, answerPings, deflate);
    ws.open(uri);
    return ws;
  }

  private void open(URI uri) {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(GROUP)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.SO_RCVBUF, 16 * 1024)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("http-codec", new HttpClientCodec())
                        .addLast("http-aggregator", new HttpObjectAggregator(1 << 16));
                    if (deflate) {
                      ch.pipeline().addLast("deflate", WebSocketClientCompressionHandler.INSTANCE);
                    }
                    ch.pipeline().addLast("frames", new Handler());
                  }
                });
    channel = bootstrap.connect(uri.getHost(), uri.getPort()).syncUninterruptibly().channel();
    TestServer.join(handshake);
  }

  /** Sends one text frame carrying exactly {@code payload}, valid UTF-8 or not. */
  public void sendTextBytes(byte[] payload) {
    channel
        .writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)))
        .syncUninterruptibly();
  }

  /** Sends {@code frame} as it is: reserved bits, opcode and payload untouched by any extension. */
  public void sendFrame(WebSocketFrame frame) {
    channel.writeAndFlush(frame).syncUninterruptibly();
  }

  public void sendText(String text) {
    sendTextBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next text message, waiting up to {@code timeout}; null when none came. */
  public JsonNode awaitJson(Duration timeout) {
    try {
      String text = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return text == null ? null : Json.parseOrNull(text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops reading from the socket, like an app whose network went quiet. */
  public void pauseReading() {
    channel.config().setAutoRead(false);
  }

  public void resumeReading() {
    channel.config().setAutoRead(true);
    channel.read();
  }

  /** The {@code Sec-WebSocket-Extensions} the server accepted, or null. */
  public String extensions() {
    return extensions;
  }

  public int pingsReceived() {
    return pings.get();
  }

  /** Completes with the server's close frame, if it sends one. */
  public CompletableFuture<CloseStatus> closeFrame() {
    return closeFrame;
  }

  /** Completes when the TCP connection is gone. */
  public CompletableFuture<Void> disconnected() {
    return disconnected;
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public void close() {
    if (channel != null && channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
      channel.close().awaitUninterruptibly(TestServer.WAIT.toMillis());
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<Object> {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      handshaker.handshake(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      handshake.completeExceptionally(new IllegalStateException("closed during the upgrade"));
      disconnected.complete(null);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (!handshaker.isHandshakeComplete()) {
        try {
          extensions = ((FullHttpResponse) msg).headers().get("sec-websocket-extensions");
          handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
          ctx.pipeline()
              .addBefore("frames", "ws-aggregator", new WebSocketFrameAggregator(1 << 20));
          handshake.complete(null);
        } catch (RuntimeException e) {
          handshake.completeExceptionally(e);
          ctx.close();
        }
        return;
      }
      WebSocketFrame frame = (WebSocketFrame) msg;
      if (frame instanceof TextWebSocketFrame text) {
        texts.add(text.text());
      } else if (frame instanceof PingWebSocketFrame) {
        pings.incrementAndGet();
        if (answerPings) {
          ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
      } else if (frame instanceof CloseWebSocketFrame close) {
        closeFrame.complete(new CloseStatus(close.statusCode(), close.reasonText()));
        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""))
            .addListener(f -> ctx.close());
      } else if (frame instanceof BinaryWebSocketFrame) {
        texts.add("<binary>");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      handshake.completeExceptionally(cause);
      ctx.close();
    }
  }
}
