package io.thingpush.bench.load;

import io.netty.channel.Channel;
import io.thingpush.bench.net.MqttPackets;
import io.thingpush.bench.net.WebSocketFrames;

/**
 * An MQTT 3.1.1 subscriber over WebSocket (subprotocol {@code mqtt}): CONNECT (clean session, no
 * keep-alive: it only listens), then SUBSCRIBE to {@code filter} at QoS 0 (as a WebSocket push
 * is), ready on its SUBACK. Pushes then come as PUBLISH packets in binary frames.
 */
public record MqttWsDialect(String clientId, String filter) implements Dialect {
  @Override
  public String target() {
    return "/";
  }

  @Override
  public String subprotocol() {
    return "mqtt";
  }

  @Override
  public boolean opened(Channel channel) {
    Dialect.send(channel, WebSocketFrames.BINARY, MqttPackets.connect(clientId, null, null, 0));
    return false;
  }

  @Override
  public boolean message(Channel channel, byte[] message) {
    int type = message[0] & 0xF0;
    if (type == MqttPackets.CONNACK) {
      if (message.length < 4 || message[3] != 0) {
        throw new IllegalStateException("CONNACK refused the subscriber");
      }
      Dialect.send(channel, WebSocketFrames.BINARY, MqttPackets.subscribe(1, filter, 0));
      return false;
    }
    if (type == MqttPackets.SUBACK) {
      if ((message[message.length - 1] & 0xFF) == 0x80) {
        throw new IllegalStateException("SUBACK refused " + filter);
      }
      return true;
    }
    return false;
  }
}
