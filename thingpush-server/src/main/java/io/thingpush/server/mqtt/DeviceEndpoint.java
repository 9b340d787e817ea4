package io.thingpush.server.mqtt;

import io.thingpush.core.device.DeviceMessages;
import io.thingpush.core.device.DevicePresence;
import io.thingpush.core.directory.Directory;
import io.thingpush.server.config.PortTaken;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.net.EventLoopServers;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT endpoint devices connect to (MQTT 3.1.1 and 5, on vertx-mqtt): one MQTT
 * server per core, each on an event loop of its own, all on the same port, among which Vert.x
 * hands out the connections in turn. A device's connection stays on the loop that accepted it,
 * so its messages are handled one after the other, in the order it sent them, while the devices
 * of other loops are handled on the other cores.
 */
public final class DeviceEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceEndpoint.class);

  /**
   * One server per core, on as many of Vert.x's loops (it has two per core): every device
   * message meets the others at the log's append, and twice as many loops as cores contending
   * for it ingested less than one loop did (docs/PERFORMANCE.md).
   */
  private static final int SERVERS = Runtime.getRuntime().availableProcessors();

  private final EventLoopServers<MqttServer> servers;

  private DeviceEndpoint(EventLoopServers<MqttServer> servers) {
    this.servers = servers;
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
    int port = EventLoopServers.shared(config.port());
    try {
      return listen(vertx, config, port, directory, presence, messages, metrics);
    } catch (Exception e) { // await() rethrows the bind failure as it is, checked or not
      if (!anyPortIfTaken || !PortTaken.is(e)) {
        throw PortTaken.orElse(e, "mqtt.port", config.host(), config.port());
      }
      LOG.info(
          "MQTT port {} is taken; the device endpoint listens on a free port instead",
          config.port());
      return listen(
          vertx, config, EventLoopServers.shared(0), directory, presence, messages, metrics);
    }
  }

  /** The servers, one per core, each on an event loop of its own. */
  private static DeviceEndpoint listen(
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
    return new DeviceEndpoint(
        EventLoopServers.listen(
            vertx,
            SERVERS,
            () ->
                MqttServer.create(vertx, options)
                    .endpointHandler(
                        endpoint ->
                            DeviceSession.open(endpoint, directory, presence, messages, metrics))
                    .listen()));
  }

  public int port() {
    return servers.servers().get(0).actualPort();
  }

  @Override
  public void close() {
    servers.close();
  }
}
