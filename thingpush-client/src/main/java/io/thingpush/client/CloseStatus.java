package io.thingpush.client;

/**
 * How a connection ended: the WebSocket close code and reason the server sent, or {@link
 * #ABNORMAL} (1006, the reason being the error) when the socket broke without a close frame.
 */
public record CloseStatus(int code, String reason) {
  /** The WebSocket code for "closed without a close frame"; never sent on the wire. */
  public static final int ABNORMAL = 1006;

  @Override
  public String toString() {
    return code + " " + reason;
  }
}
