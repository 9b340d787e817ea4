package io.thingpush.bench.load;

import io.netty.channel.Channel;
import io.thingpush.bench.net.WebSocketFrames;
import java.nio.charset.StandardCharsets;

/** An app of ThingPush: after the connect frame it sends its {@code up.sub} and is ready on a 200 {@code down.subRet}. */
public record ThingPushDialect(String target, String subscribe) implements Dialect {
  @Override
  public boolean opened(Channel channel) {
    return false;
  }

  @Override
  public boolean message(Channel channel, byte[] message) {
    String text = new String(message, StandardCharsets.UTF_8);
    if (!text.startsWith("{\"code\":200")) {
      throw new IllegalStateException("refused: " + text);
    }
    if (text.contains("\"down.subRet\"")) {
      return true;
    }
    Dialect.send(channel, WebSocketFrames.TEXT, subscribe.getBytes(StandardCharsets.UTF_8));
    return false;
  }
}
