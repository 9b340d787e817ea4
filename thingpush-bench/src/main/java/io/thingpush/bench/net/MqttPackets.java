package io.thingpush.bench.net;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The few MQTT 3.1.1 packets the generator sends, written as bytes (no codec objects per message). */
public final class MqttPackets {
  public static final int CONNACK = 0x20;
  public static final int PUBLISH = 0x30;
  public static final int PUBACK = 0x40;
  public static final int SUBACK = 0x90;

  private MqttPackets() {}

  /** CONNECT, clean session; {@code username} and {@code password} may be null; keep-alive in seconds (0: none). */
  public static byte[] connect(
      String clientId, String username, String password, int keepAliveSeconds) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, "MQTT");
    body.write(4); // protocol level: 3.1.1
    body.write(0x02 | (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0));
    body.write(keepAliveSeconds >> 8);
    body.write(keepAliveSeconds & 0xFF);
    string(body, clientId);
    if (username != null) {
      string(body, username);
    }
    if (password != null) {
      string(body, password);
    }
    return packet(0x10, body.toByteArray());
  }

  /** SUBSCRIBE to one filter. */
  public static byte[] subscribe(int packetId, String filter, int qos) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId & 0xFF);
    string(body, filter);
    body.write(qos);
    return packet(0x82, body.toByteArray());
  }

  /** PUBLISH at QoS 1 of {@code topic} (its bytes with their length prefix) and {@code payload}. */
  public static void publishQos1(ByteBuf out, byte[] topic, int packetId, byte[] payload) {
    out.writeByte(PUBLISH | 0x02);
    remainingLength(out, topic.length + 2 + payload.length);
    out.writeBytes(topic).writeShort(packetId).writeBytes(payload);
  }

  /** PUBACK of {@code packetId}. */
  public static void puback(ByteBuf out, int packetId) {
    out.writeByte(PUBACK).writeByte(2).writeShort(packetId);
  }

  /** A topic as it stands in a packet: two bytes of length, then its UTF-8 bytes. */
  public static byte[] topic(String topic) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    string(out, topic);
    return out.toByteArray();
  }

  private static byte[] packet(int fixedHeader, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(fixedHeader);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void remainingLength(ByteBuf out, int length) {
    do {
      int digit = length % 128;
      length /= 128;
      out.writeByte(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }
}
