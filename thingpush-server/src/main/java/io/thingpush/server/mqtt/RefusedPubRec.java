package io.thingpush.server.mqtt;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import java.lang.reflect.Field;

/**
 * An MQTT 5 PUBREC that carries its reason code. vertx-mqtt's {@code publishReceived(id, code,
 * properties)} drops the code and always answers 0x00 (success), so a refused QoS 2 publish
 * would look taken; this writes the PUBREC itself on the endpoint's connection.
 */
final class RefusedPubRec {
  private static final Field CONNECTION = connectionField();

  private RefusedPubRec() {}

  static void send(MqttEndpoint endpoint, int messageId, MqttPubRecReasonCode reason) {
    NetSocketInternal connection;
    try {
      connection = (NetSocketInternal) CONNECTION.get(endpoint);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    connection.writeMessage(
        MqttMessageFactory.newMessage(
            new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttPubReplyMessageVariableHeader(
                messageId, reason.value(), MqttProperties.NO_PROPERTIES),
            null));
  }

  private static Field connectionField() {
    try {
      Field field = Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl").getDeclaredField("conn");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
