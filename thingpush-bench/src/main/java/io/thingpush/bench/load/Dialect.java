package io.thingpush.bench.load;

import io.netty.channel.Channel;
import io.thingpush.bench.net.WebSocketFrames;

/**
 * What a simulated app says on its WebSocket before it counts pushes: nothing (the baseline), a
 * subscription (ThingPush), or an MQTT login and subscription (MQTT over WebSocket).
 */
public interface Dialect {
  /** The request target of the upgrade, e.g. {@code /path?query}. */
  String target();

  /** The {@code Sec-WebSocket-Protocol} to ask for, or null. */
  default String subprotocol() {
    return null;
  }

  /** Called once upgraded; true when the app is ready at once. */
  boolean opened(Channel channel);

  /**
   * One whole message received before the app is ready; true once it is.
   *
   * @throws IllegalStateException when the server refused
   */
  boolean message(Channel channel, byte[] message);

  /** Sends {@code payload} as one client frame. */
  static void send(Channel channel, int opcode, byte[] payload) {
    channel.writeAndFlush(
        WebSocketFrames.client(opcode, payload, channel.alloc()), channel.voidPromise());
  }
}
