package io.thingpush.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The complete WebSocket frame (header and payload) of the event an event loop is writing,
 * built once and shared by every connection of that loop: each gets a retained duplicate, so a
 * broadcast costs no copy and no frame encoding per recipient. Fan-out writes one event to all
 * its recipients of a loop in a row, so remembering the last frame is enough.
 */
final class SharedFrames {
  private static final FastThreadLocal<SharedFrames> OF_THIS_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected SharedFrames initialValue() {
          return new SharedFrames();
        }
      };
  private static final int FIN_TEXT = 0x81;

  private byte[] lastPayload;
  private ByteBuf lastFrame;

  private SharedFrames() {}

  /** A text frame carrying {@code payload}, for the calling event loop's next write. */
  static ByteBuf textFrame(byte[] payload, ByteBufAllocator alloc) {
    return OF_THIS_LOOP.get().frameOf(payload, alloc);
  }

  private ByteBuf frameOf(byte[] payload, ByteBufAllocator alloc) {
    if (payload != lastPayload) {
      if (lastFrame != null) {
        lastFrame.release();
      }
      lastFrame = encode(payload, alloc);
      lastPayload = payload;
    }
    return lastFrame.retainedDuplicate();
  }

  /** RFC 6455 §5.2: FIN and text opcode, unmasked (server to client), then the length and the payload. */
  static ByteBuf encode(byte[] payload, ByteBufAllocator alloc) {
    int length = payload.length;
    ByteBuf frame = alloc.directBuffer(length + 10);
    frame.writeByte(FIN_TEXT);
    if (length <= 125) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    return frame.writeBytes(payload);
  }
}
