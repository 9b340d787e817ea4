package io.thingpush.server.ws;

/**
 * One whole client message: its text, or (text null) why it cannot be read as text: a binary
 * message or one that is not valid UTF-8.
 */
record ClientMessage(String text, String unreadable) {
  static final ClientMessage BINARY = new ClientMessage(null, "binary messages are not supported");
  static final ClientMessage INVALID_TEXT = new ClientMessage(null, "message is not valid UTF-8");
}
