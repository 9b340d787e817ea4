package io.thingpush.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * Splits the bytes a client reads into WebSocket frames (RFC 6455 §5.2, unmasked as a server
 * sends them) without copying or allocating: a frame's payload goes to {@link Frames} in the
 * pieces it arrived in.
 */
final class FrameReader {
  /** What a frame reader finds. */
  interface Frames {
    void begin(int opcode, boolean compressed, long length);

    /** {@code length} payload bytes of the current frame, at {@code buffer}'s reader index. */
    void payload(ByteBuf buffer, int length);

    void end();
  }

  private final Frames frames;
  private final byte[] header = new byte[10];
  private int headerRead;
  private long remaining = -1;

  FrameReader(Frames frames) {
    this.frames = frames;
  }

  /** Reads what {@code in} holds (all of it). */
  void read(ByteBuf in) {
    while (in.isReadable()) {
      if (remaining < 0) {
        if (!readHeader(in)) {
          return;
        }
      }
      if (remaining > 0) {
        int n = (int) Math.min(remaining, in.readableBytes());
        frames.payload(in, n);
        in.skipBytes(n);
        remaining -= n;
      }
      if (remaining == 0) {
        frames.end();
        remaining = -1;
      }
    }
  }

  private boolean readHeader(ByteBuf in) {
    while (headerRead < 2 && in.isReadable()) {
      header[headerRead++] = in.readByte();
    }
    if (headerRead < 2) {
      return false;
    }
    int len7 = header[1] & 0x7F;
    int size = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
    while (headerRead < size && in.isReadable()) {
      header[headerRead++] = in.readByte();
    }
    if (headerRead < size) {
      return false;
    }
    long length = len7;
    if (len7 >= 126) {
      length = 0;
      for (int i = 2; i < size; i++) {
        length = length << 8 | (header[i] & 0xFF);
      }
    }
    headerRead = 0;
    remaining = length;
    frames.begin(header[0] & 0x0F, (header[0] & 0x40) != 0, length);
    return true;
  }
}
