package io.thingpush.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.thingpush.bench.net.WebSocketFrames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One simulated app on a WebSocket, written lean so that the generator costs little per push:
 * no HTTP or WebSocket codec objects, the upgrade written and read as bytes, frames split in
 * place ({@link FrameReader}) and each push's send time read straight from the bytes
 * ({@link SentScanner}). Until its {@link Dialect} says it is ready, whole messages go to the
 * dialect; then every push counts. A stalled app stops reading once ready, like an app whose
 * network went quiet. Pings are answered; permessage-deflate is offered on demand.
 */
final class AppConnection extends ChannelInboundHandlerAdapter
    implements FrameReader.Frames, SentScanner.Found {
  private static final String HEADERS_END = "\r\n\r\n";
  private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

  private final String host;
  private final Dialect dialect;
  private final boolean stall;
  private final boolean deflate;
  private final Receipts receipts;
  private final CompletableFuture<Void> ready;
  private final FrameReader reader = new FrameReader(this);
  private final SentScanner scanner = new SentScanner(this);
  private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
  private ChannelHandlerContext ctx;
  private ByteBuf upgrade;
  private Inflater inflater;
  private boolean resetInflaterPerMessage;
  private int opcode;
  private int dataOpcode;
  private boolean compressed;
  private boolean collect;
  private boolean closeSeen;
  private long now;

  AppConnection(
      String host,
      Dialect dialect,
      boolean stall,
      boolean deflate,
      Receipts receipts,
      CompletableFuture<Void> ready) {
    this.host = host;
    this.dialect = dialect;
    this.stall = stall;
    this.deflate = deflate;
    this.receipts = receipts;
    this.ready = ready;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.upgrade = ctx.alloc().heapBuffer(512);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request =
        "GET "
            + dialect.target()
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\n"
            + (dialect.subprotocol() == null
                ? ""
                : "Sec-WebSocket-Protocol: " + dialect.subprotocol() + "\r\n")
            + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "")
            + "\r\n";
    ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    now = System.nanoTime();
    ByteBuf in = (ByteBuf) msg;
    try {
      if (upgrade != null) {
        upgrade.writeBytes(in);
        int end = upgrade.toString(StandardCharsets.US_ASCII).indexOf(HEADERS_END);
        if (end < 0) {
          return;
        }
        upgraded(
            upgrade
                .readCharSequence(end + HEADERS_END.length(), StandardCharsets.US_ASCII)
                .toString());
        in = upgrade;
      }
      reader.read(in);
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      ((ByteBuf) msg).release();
      if (in == upgrade) {
        upgrade.release();
        upgrade = null;
      }
    }
  }

  private void upgraded(String response) {
    if (!response.startsWith("HTTP/1.1 101")) {
      throw new IllegalStateException(
          "upgrade refused: " + response.lines().findFirst().orElse(""));
    }
    String lower = response.toLowerCase(Locale.ROOT);
    if (lower.contains("permessage-deflate")) {
      inflater = new Inflater(true);
      resetInflaterPerMessage = lower.contains("server_no_context_takeover");
    }
    if (dialect.opened(ctx.channel())) {
      becomeReady();
    }
  }

  @Override
  public void begin(int opcode, boolean compressed, long length) {
    this.opcode = opcode == 0 ? dataOpcode : opcode;
    if (opcode == WebSocketFrames.TEXT || opcode == WebSocketFrames.BINARY) {
      dataOpcode = opcode;
      this.compressed = compressed;
    }
    collect = this.opcode >= WebSocketFrames.CLOSE || !ready.isDone() || this.compressed;
    collected.reset();
  }

  @Override
  public void payload(ByteBuf buffer, int length) {
    if (collect) {
      byte[] bytes = new byte[length];
      buffer.getBytes(buffer.readerIndex(), bytes);
      collected.writeBytes(bytes);
    } else {
      buffer.forEachByte(buffer.readerIndex(), length, scanner);
    }
  }

  @Override
  public void end() {
    switch (opcode) {
      case WebSocketFrames.PING ->
          ctx.writeAndFlush(
              WebSocketFrames.client(WebSocketFrames.PONG, collected.toByteArray(), ctx.alloc()),
              ctx.voidPromise());
      case WebSocketFrames.CLOSE -> {
        byte[] body = collected.toByteArray();
        closeSeen = true;
        receipts.closed(body.length >= 2 ? (body[0] & 0xFF) << 8 | (body[1] & 0xFF) : 1005);
        ctx.close();
      }
      case WebSocketFrames.PONG -> {}
      default -> message();
    }
  }

  private void message() {
    if (!collect) {
      scanner.reset();
      return;
    }
    byte[] message = compressed ? inflate(collected.toByteArray()) : collected.toByteArray();
    if (ready.isDone()) {
      for (byte b : message) {
        scanner.process(b);
      }
      scanner.reset();
    } else if (dialect.message(ctx.channel(), message)) {
      becomeReady();
    }
  }

  private byte[] inflate(byte[] deflated) {
    if (inflater == null) {
      throw new IllegalStateException("a compressed frame without permessage-deflate");
    }
    inflater.setInput(deflated);
    ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 4);
    byte[] chunk = new byte[4096];
    try {
      for (byte[] input : new byte[][] {null, DEFLATE_TAIL}) {
        if (input != null) {
          inflater.setInput(input);
        }
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
          out.write(chunk, 0, n);
        }
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("bad deflate data: " + e.getMessage(), e);
    }
    if (resetInflaterPerMessage) {
      inflater.reset();
    }
    return out.toByteArray();
  }

  private void becomeReady() {
    if (stall) {
      ctx.channel().config().setAutoRead(false);
    }
    ready.complete(null);
  }

  @Override
  public void sent(long nanos) {
    receipts.delivered(nanos, now);
  }

  private void fail(Throwable cause) {
    ready.completeExceptionally(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!ready.isDone()) {
      ready.completeExceptionally(
          new IllegalStateException("connection closed before it was ready"));
    } else if (!closeSeen) {
      receipts.closed(Receipts.NO_CLOSE_FRAME);
    }
    if (inflater != null) {
      inflater.end();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
  }
}
