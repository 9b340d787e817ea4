package io.thingpush.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.thingpush.bench.net.WebSocketFrames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames split at any byte still give each frame and each send time once. */
class FrameReaderTest {
  private final List<String> events = new ArrayList<>();
  private final List<Long> sent = new ArrayList<>();
  private final SentScanner scanner = new SentScanner(sent::add);
  private final FrameReader reader =
      new FrameReader(
          new FrameReader.Frames() {
            @Override
            public void begin(int opcode, boolean compressed, long length) {
              events.add("begin " + opcode + " " + length);
            }

            @Override
            public void payload(ByteBuf buffer, int length) {
              buffer.forEachByte(buffer.readerIndex(), length, scanner);
            }

            @Override
            public void end() {
              scanner.reset();
              events.add("end");
            }
          });

  @Test
  void readsFramesSplitAtEveryByte() {
    String padded = "{\"param\":{\"sent\":1234567890123,\"pad\":\"" + "x".repeat(200) + "\"}}";
    ByteBuf stream =
        Unpooled.buffer()
            .writeBytes(
                WebSocketFrames.serverText(
                    "{\"sent\":42}".getBytes(StandardCharsets.UTF_8),
                    UnpooledByteBufAllocator.DEFAULT))
            .writeBytes(
                WebSocketFrames.serverText(
                    padded.getBytes(StandardCharsets.UTF_8), UnpooledByteBufAllocator.DEFAULT))
            .writeBytes(new byte[] {(byte) 0x89, 0}); // an empty ping
    while (stream.isReadable()) {
      reader.read(stream.readSlice(1));
    }
    assertThat(events)
        .containsExactly(
            "begin 1 11", "end", "begin 1 " + padded.length(), "end", "begin 9 0", "end");
    assertThat(sent).containsExactly(42L, 1234567890123L);
  }

  @Test
  void findsEverySendTimeInOneMessage() {
    byte[] two =
        "\"sent\":1,\"x\":\"\\\"sent\\\"\",\"sent\":22}\"sent\":".getBytes(StandardCharsets.UTF_8);
    reader.read(WebSocketFrames.serverText(two, UnpooledByteBufAllocator.DEFAULT));
    assertThat(sent).containsExactly(1L, 22L);
  }
}
