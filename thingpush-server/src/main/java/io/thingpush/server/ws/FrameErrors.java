package io.thingpush.server.ws;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.thingpush.protocol.CloseCode;
import java.util.zip.DataFormatException;

/** The close code and reason of a frame the connection's decoders could not take. */
record FrameErrors(CloseCode code, String reason) {
  static final FrameErrors TOO_BIG = new FrameErrors(CloseCode.MESSAGE_TOO_BIG, "message too big");
  private static final FrameErrors PROTOCOL =
      new FrameErrors(CloseCode.PROTOCOL_ERROR, "WebSocket protocol error");
  private static final FrameErrors CORRUPT =
      new FrameErrors(CloseCode.INVALID_PAYLOAD, "compressed data that does not inflate");

  /** Reserved bits on a frame with no extension negotiated that could give them a meaning. */
  static final FrameErrors RESERVED_BITS =
      new FrameErrors(CloseCode.PROTOCOL_ERROR, "reserved bits set without a negotiated extension");

  /**
   * What {@code cause}, raised while decoding frames, closes the connection with; null when it
   * is not a decoding error. permessage-deflate inflates into a buffer bounded by the message
   * size limit, and fails with an inflater error on bad data, without one past the bound.
   */
  static FrameErrors of(Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException bad) {
      return bad.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
          ? TOO_BIG
          : PROTOCOL;
    }
    if (cause instanceof DecompressionException inflate) {
      return inflate.getCause() instanceof DataFormatException ? CORRUPT : TOO_BIG;
    }
    // After the upgrade, the only other decoders are the extension's: its data made no message.
    return cause instanceof DecoderException ? CORRUPT : null;
  }
}
