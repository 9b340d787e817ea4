package io.thingpush.server.it.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingpush.server.it.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT 3.1.1 connection written by hand, for what a well-behaved client library never does:
 * vanish without DISCONNECT, or stay silent past its keep-alive.
 */
final class RawMqtt {
  private RawMqtt() {}

  /** Opens a socket, sends CONNECT and returns the socket once CONNACK accepted the login. */
  static Socket connect(int port, String username, String password, int keepAliveSeconds) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout((int) TestServer.WAIT.toMillis());
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      string(body, "MQTT");
      body.write(4); // protocol level 3.1.1
      body.write(0xC2); // username, password, clean session
      body.write(keepAliveSeconds >> 8);
      body.write(keepAliveSeconds & 0xFF);
      string(body, "raw-" + System.nanoTime());
      string(body, username);
      string(body, password);
      socket.getOutputStream().write(0x10);
      socket.getOutputStream().write(body.size()); // below 128: one length byte
      body.writeTo(socket.getOutputStream());
      InputStream in = socket.getInputStream();
      byte[] connack = in.readNBytes(4);
      assertThat(connack).as("CONNACK accepted").containsExactly(0x20, 0x02, 0x00, 0x00);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PUBLISH packet (QoS 1 or 2 with {@code packetId}); the payload is short (one length byte in all). */
  static byte[] publish(String topic, String payload, int qos, int packetId) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, topic);
    if (qos > 0) {
      body.write(packetId >> 8);
      body.write(packetId & 0xFF);
    }
    body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x30 | (qos << 1));
    packet.write(body.size()); // below 128: one length byte
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }

  /** A DISCONNECT packet. */
  static byte[] disconnect() {
    return new byte[] {(byte) 0xE0, 0x00};
  }

  private static void string(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }
}
