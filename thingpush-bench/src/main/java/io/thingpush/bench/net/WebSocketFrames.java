package io.thingpush.bench.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ThreadLocalRandom;

/** Complete WebSocket frames (RFC 6455 §5.2), header and payload, written as plain bytes. */
public final class WebSocketFrames {
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;
  private static final int FIN = 0x80;
  private static final int MASKED = 0x80;

  private WebSocketFrames() {}

  /** A server's text frame (unmasked) carrying {@code payload}. */
  public static ByteBuf serverText(byte[] payload, ByteBufAllocator alloc) {
    ByteBuf frame = alloc.directBuffer(payload.length + 10);
    header(frame, TEXT, payload.length, 0);
    return frame.writeBytes(payload);
  }

  /** A client's frame (masked, as RFC 6455 requires of clients) with {@code opcode} and {@code payload}. */
  public static ByteBuf client(int opcode, byte[] payload, ByteBufAllocator alloc) {
    ByteBuf frame = alloc.buffer(payload.length + 14);
    header(frame, opcode, payload.length, MASKED);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.writeByte(payload[i] ^ mask[i & 3]);
    }
    return frame;
  }

  private static void header(ByteBuf frame, int opcode, int length, int mask) {
    frame.writeByte(FIN | opcode);
    if (length <= 125) {
      frame.writeByte(mask | length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(mask | 126).writeShort(length);
    } else {
      frame.writeByte(mask | 127).writeLong(length);
    }
  }
}
