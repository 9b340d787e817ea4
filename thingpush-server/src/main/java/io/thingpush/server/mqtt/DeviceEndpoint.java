package io.thingpush.server.mqtt;

import io.thingpush.core.device.DeviceMessages;
import io.thingpush.core.device.DevicePresence;
import io.thingpush.core.directory.Directory;
import io.thingpush.server.config.PortTaken;
import io.thingpush.server.config.ThingPushConfig;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded MQTT endpoint devices connect to (MQTT 3.1.1 and 5, on vertx-mqtt). */
public final class DeviceEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceEndpoint.class);

  private final MqttServer server;

  private DeviceEndpoint(MqttServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code mqtt.host}:{@code mqtt.port}. When that port is taken, {@code
   * anyPortIfTaken} listens on a free port instead; otherwise the start fails naming the option.
   */
  public static DeviceEndpoint start(
      Vertx vertx,
      ThingPushConfig.Mqtt config,
      Supplier<Directory> directory,
      DevicePresence presence,
      DeviceMessages messages,
      DeviceMetrics metrics,
      boolean anyPortIfTaken) {
    try {
      return new DeviceEndpoint(
          listen(vertx, config, config.port(), directory, presence, messages, metrics));
    } catch (Exception e) { // await() rethrows the bind failure as it is, checked or not
      if (!anyPortIfTaken || !PortTaken.is(e)) {
        throw PortTaken.orElse(e, "mqtt.port", config.host(), config.port());
      }
      LOG.info(
          "MQTT port {} is taken; the device endpoint listens on a free port instead",
          config.port());
      return new DeviceEndpoint(listen(vertx, config, 0, directory, presence, messages, metrics));
    }
  }

  private static MqttServer listen(
      Vertx vertx,
      ThingPushConfig.Mqtt config,
      int port,
      Supplier<Directory> directory,
      DevicePresence presence,
      DeviceMessages messages,
      DeviceMetrics metrics) {
    MqttServerOptions options =
        new MqttServerOptions()
            .setHost(config.host())
            .setPort(port)
            .setMaxMessageSize(config.maxMessageBytes())
            .setTimeoutOnConnect((int) Math.ceil(config.connectTimeoutMs() / 1000.0));
    return MqttServer.create(vertx, options)
        .endpointHandler(
            endpoint -> DeviceSession.open(endpoint, directory, presence, messages, metrics))
        .listen()
        .await();
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
