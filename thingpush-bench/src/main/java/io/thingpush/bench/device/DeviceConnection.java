package io.thingpush.bench.device;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.thingpush.bench.net.MqttPackets;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated device over MQTT 3.1.1, written as bytes: it logs in, subscribes to its reply
 * topic when replies are awaited, then sends QoS 1 property reports when its {@link Pacer} says,
 * each carrying its send time (in {@code msgToken} too, so the reply names its report). At most
 * {@code window} reports wait for their PUBACK (and reply) at once; one not answered within the
 * answer window is given up and counted, so that a lost answer does not stop the device.
 */
final class DeviceConnection extends ChannelInboundHandlerAdapter {
  private static final byte[] TOKEN = "\"msgToken\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "\"code\":200".getBytes(StandardCharsets.US_ASCII);

  private final String clientId;
  private final String username;
  private final String password;
  private final byte[] topic;
  private final String replyTopic;
  private final ReportPayload payload;
  private final DeviceStats stats;
  private final CompletableFuture<Void> ready;
  private static final int USED = 1;
  private static final int ACKED = 2;
  private static final int REPLIED = 4;

  /** The reports awaiting answers: packet id, send time, and USED | ACKED | REPLIED (0: free). */
  private final int[] ids;

  private final long[] sentAt;
  private final int[] state;
  private ChannelHandlerContext ctx;
  private ByteBuf cumulation;
  private int awaiting;
  private long lastSent;
  private int nextId = 1;
  private boolean acksToFlush;

  /** @param replyTopic the topic replies come on, or null when none are awaited */
  DeviceConnection(
      String clientId,
      String username,
      String password,
      String topic,
      String replyTopic,
      ReportPayload payload,
      int window,
      DeviceStats stats,
      CompletableFuture<Void> ready) {
    this.clientId = clientId;
    this.username = username;
    this.password = password;
    this.topic = MqttPackets.topic(topic);
    this.replyTopic = replyTopic;
    this.payload = payload;
    this.stats = stats;
    this.ready = ready;
    this.ids = new int[window];
    this.sentAt = new long[window];
    this.state = new int[window];
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.cumulation = ctx.alloc().heapBuffer(256);
    ctx.writeAndFlush(
        ctx.alloc().buffer().writeBytes(MqttPackets.connect(clientId, username, password, 0)));
  }

  /** Whether another report may go now. */
  boolean hasRoom() {
    return ready.isDone() && !ready.isCompletedExceptionally() && awaiting < ids.length;
  }

  /** Writes a report carrying {@code sentNanos} (made unique on this device), unflushed, on the connection's thread. */
  void report(long sentNanos) {
    sentNanos = Math.max(sentNanos, lastSent + 1);
    lastSent = sentNanos;
    int id = nextId;
    nextId = id == 0xFFFF ? 1 : id + 1;
    int slot = 0;
    while (state[slot] != 0) {
      slot++;
    }
    ids[slot] = id;
    sentAt[slot] = sentNanos;
    state[slot] = USED;
    awaiting++;
    ByteBuf out = ctx.alloc().directBuffer(payload.maxBytes() + topic.length + 8);
    MqttPackets.publishQos1(out, topic, id, payload.of(sentNanos));
    ctx.write(out, ctx.voidPromise());
    stats.onSent();
  }

  void flush() {
    ctx.flush();
  }

  /** Gives up the reports sent more than {@code windowNanos} before {@code now}. */
  void expire(long now, long windowNanos) {
    for (int slot = 0; slot < state.length; slot++) {
      if (state[slot] != 0 && now - sentAt[slot] > windowNanos) {
        state[slot] = 0;
        awaiting--;
        stats.onUnanswered();
      }
    }
  }

  private void answered(int slot, int flag) {
    state[slot] |= flag;
    if ((state[slot] & ACKED) != 0 && ((state[slot] & REPLIED) != 0 || replyTopic == null)) {
      state[slot] = 0;
      awaiting--;
      stats.onAnswered();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    ByteBuf in = (ByteBuf) msg;
    try {
      cumulation.writeBytes(in);
    } finally {
      in.release();
    }
    try {
      while (packet(now)) {
        // one packet handled
      }
      cumulation.discardReadBytes();
    } catch (RuntimeException e) {
      ready.completeExceptionally(e);
      ctx.close();
    }
  }

  /** Handles the next whole packet in the cumulation; false when none is complete. */
  private boolean packet(long now) {
    int start = cumulation.readerIndex();
    if (cumulation.readableBytes() < 2) {
      return false;
    }
    int header = cumulation.getUnsignedByte(start);
    int length = 0;
    int at = start + 1;
    for (int shift = 0; ; shift += 7) {
      if (at >= cumulation.writerIndex()) {
        return false;
      }
      int digit = cumulation.getUnsignedByte(at++);
      length |= (digit & 0x7F) << shift;
      if ((digit & 0x80) == 0) {
        break;
      }
    }
    if (cumulation.writerIndex() - at < length) {
      return false;
    }
    cumulation.readerIndex(at + length);
    switch (header & 0xF0) {
      case MqttPackets.CONNACK -> connacked(cumulation.getUnsignedByte(at + 1));
      case MqttPackets.SUBACK -> subacked(cumulation.getUnsignedByte(at + length - 1));
      case MqttPackets.PUBACK -> acked(cumulation.getUnsignedShort(at), now);
      case MqttPackets.PUBLISH -> published(header, at, length, now);
      default -> {}
    }
    return true;
  }

  private void connacked(int code) {
    if (code != 0) {
      throw new IllegalStateException("CONNACK refused " + username + ": return code " + code);
    }
    if (replyTopic == null) {
      ready.complete(null);
    } else {
      ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(MqttPackets.subscribe(1, replyTopic, 1)));
    }
  }

  private void subacked(int granted) {
    if (granted == 0x80) {
      throw new IllegalStateException("SUBACK refused " + replyTopic);
    }
    ready.complete(null);
  }

  private void acked(int id, long now) {
    for (int slot = 0; slot < state.length; slot++) {
      if (state[slot] != 0 && (state[slot] & ACKED) == 0 && ids[slot] == id) {
        stats.onAck(sentAt[slot], now);
        answered(slot, ACKED);
        return;
      }
    }
  }

  /** A reply: acknowledged when QoS 1, matched to its report by its msgToken (a late one is ignored). */
  private void published(int header, int at, int length, long now) {
    int qos = (header >> 1) & 3;
    int topicLength = cumulation.getUnsignedShort(at);
    int from = at + 2 + topicLength;
    if (qos > 0) {
      ByteBuf ack = ctx.alloc().buffer(4);
      MqttPackets.puback(ack, cumulation.getUnsignedShort(from));
      ctx.write(ack, ctx.voidPromise());
      acksToFlush = true;
      from += 2;
    }
    int end = at + length;
    long token = digitsAfter(TOKEN, from, end);
    for (int slot = 0; slot < state.length; slot++) {
      if (state[slot] != 0 && (state[slot] & REPLIED) == 0 && sentAt[slot] == token) {
        stats.onReply(token, now, indexOf(OK, from, end) >= 0);
        answered(slot, REPLIED);
        return;
      }
    }
  }

  private long digitsAfter(byte[] key, int from, int end) {
    int i = indexOf(key, from, end);
    long value = 0;
    if (i < 0) {
      return 0;
    }
    for (int k = i + key.length; k < end; k++) {
      int b = cumulation.getByte(k);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
    }
    return value;
  }

  private int indexOf(byte[] key, int from, int end) {
    outer:
    for (int i = from; i <= end - key.length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (cumulation.getByte(i + j) != key[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The PUBACKs of the replies of one read go out in one flush, as a real client's would. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (acksToFlush) {
      acksToFlush = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!ready.completeExceptionally(
        new IllegalStateException("device " + username + " disconnected"))) {
      stats.onDisconnect();
    }
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ready.completeExceptionally(cause);
    ctx.close();
  }
}
