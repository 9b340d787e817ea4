package io.thingpush.server.sse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.thingpush.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Frames as Server-Sent Events (SPEC §10): {@code event: <type>}, {@code id: <seq>} when the
 * stream's position moves to it, {@code data: <the frame's JSON>}, a blank line. The event of the
 * push an event loop is writing is built once and shared by every SSE connection of that loop
 * (each gets a retained duplicate), as the WebSocket frames are; with and without its id.
 */
final class SseEvents {
  /** The event name of a frame without {@code type}: the connect frame. */
  static final String CONNECT = "connect";

  private static final FastThreadLocal<SseEvents> OF_THIS_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected SseEvents initialValue() {
          return new SseEvents();
        }
      };

  /** What a stream needs to know of a frame: its type ({@link #CONNECT} without one) and seq (-1 without). */
  record Head(String type, long seq) {}

  private byte[] lastPayload;
  private Head lastHead;
  private ByteBuf withId;
  private ByteBuf withoutId;

  private SseEvents() {}

  /** The type and seq of {@code frame}, read once per frame and event loop. */
  static Head head(byte[] frame) {
    SseEvents loop = OF_THIS_LOOP.get();
    loop.remember(frame);
    return loop.lastHead;
  }

  /** The event of {@code frame}, with {@code id: <seq>} or without, for the calling event loop's next write. */
  static ByteBuf event(byte[] frame, boolean withId, ByteBufAllocator alloc) {
    SseEvents loop = OF_THIS_LOOP.get();
    loop.remember(frame);
    if (withId) {
      if (loop.withId == null) {
        loop.withId = encode(loop.lastHead, true, frame, alloc);
      }
      return loop.withId.retainedDuplicate();
    }
    if (loop.withoutId == null) {
      loop.withoutId = encode(loop.lastHead, false, frame, alloc);
    }
    return loop.withoutId.retainedDuplicate();
  }

  private void remember(byte[] frame) {
    if (frame == lastPayload) {
      return;
    }
    release();
    lastPayload = frame;
    lastHead = read(frame);
  }

  private void release() {
    if (withId != null) {
      withId.release();
      withId = null;
    }
    if (withoutId != null) {
      withoutId.release();
      withoutId = null;
    }
  }

  /** Reads the top-level {@code type} and {@code seq} of a frame, skipping everything else. */
  static Head read(byte[] frame) {
    String type = CONNECT;
    long seq = -1;
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(frame)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new Head(type, seq);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("type") && value == JsonToken.VALUE_STRING) {
          type = parser.getText();
        } else if (name.equals("seq") && value == JsonToken.VALUE_NUMBER_INT) {
          seq = parser.getLongValue();
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a frame the server encoded is not JSON", e);
    }
    return new Head(type, seq);
  }

  /** The text of one event; the frame's JSON has no line break (Jackson writes none). */
  static ByteBuf encode(Head head, boolean withId, byte[] frame, ByteBufAllocator alloc) {
    byte[] event =
        ("event: " + head.type() + "\n" + (withId ? "id: " + head.seq() + "\n" : "") + "data: ")
            .getBytes(StandardCharsets.US_ASCII);
    ByteBuf buf = alloc.directBuffer(event.length + frame.length + 2);
    return buf.writeBytes(event).writeBytes(frame).writeByte('\n').writeByte('\n');
  }
}
