package io.thingpush.bench.load;

import io.netty.channel.Channel;

/** An app of the baseline: upgraded is ready. */
public record BaselineDialect() implements Dialect {
  @Override
  public String target() {
    return "/";
  }

  @Override
  public boolean opened(Channel channel) {
    return true;
  }

  @Override
  public boolean message(Channel channel, byte[] message) {
    return true;
  }
}
