package io.thingpush.server.cli;

import io.thingpush.core.auth.TokenMinter;
import io.thingpush.server.ThingPushServer;
import io.thingpush.server.config.ThingPushConfig;
import java.io.PrintWriter;
import java.time.Duration;

/** What {@code serve --demo} prints once it runs: links, and one command of each way in to try. */
final class DemoInstructions {
  private static final Duration TOKEN_TTL = Duration.ofDays(1);

  private DemoInstructions() {}

  /** {@code publishKey} the demo's own key, or null when the config brought keys of its own. */
  static void print(
      PrintWriter out,
      ThingPushConfig cfg,
      ThingPushServer server,
      String publishKey,
      DemoSecrets secrets) {
    TokenMinter minter = new TokenMinter(cfg.auth().hs256Secret());
    String token = minter.mint("default", "demo", false, null, TOKEN_TTL);
    String adminToken =
        minter.mint(secrets.admin().tenant(), secrets.admin().userID(), false, null, TOKEN_TTL);
    String http = "http://127.0.0.1:" + server.httpPort();
    int mqttPort = server.mqttPort();
    String device = " -p " + mqttPort + " -u 'env-sensor&sensor-01' -P demo-sensor-01";
    out.println();
    out.println(
        "ThingPush demo is running: simulated devices report over MQTT (127.0.0.1:"
            + mqttPort
            + (mqttPort == cfg.mqtt().port() ? "" : ", as port " + cfg.mqtt().port() + " is taken")
            + ") into project p-factory.");
    out.println();
    out.println(
        "Open the console (live dashboard: device badges, latest values, charts, actions) in a browser:");
    out.println("   " + DemoLinks.consoleUrl(server.httpPort(), token));
    out.println("and its operator view (nodes, connections) as the demo's platform admin:");
    out.println("   " + DemoLinks.operatorUrl(server.httpPort(), adminToken));
    out.println();
    out.println("1. Connect any WebSocket client to:");
    out.println("   " + DemoLinks.connectUrl(server.wsPort(), cfg.ws().path(), token));
    out.println("2. Send:");
    out.println(
        "   {\"type\":\"up.sub\",\"body\":{\"code\":\"devicePropertyReport\",\"params\":{\"projectID\":\"p-factory\"}}}");
    out.println(
        "   and property reports stream in. Other codes: devicePropertyReportV2, devicePublish,");
    out.println("   deviceActionReport, deviceConn, deviceOtaReport.");
    int step = 3;
    if (publishKey != null) {
      String auth =
          "curl -H 'Authorization: Bearer " + publishKey + "' -H 'Content-Type: application/json'";
      out.println(step++ + ". Publish an event of your own:");
      out.println(
          "   "
              + auth
              + " -d '{\"code\":\"deviceConn\",\"device\":{\"productID\":\"pump\","
              + "\"deviceName\":\"pump-01\"},\"payload\":{\"status\":2}}' "
              + http
              + "/api/v1/push/publish");
      out.println(
          step++ + ". Call an action of a device (its reply comes back; subscribers see both):");
      out.println(
          "   "
              + auth
              + " -d '{\"device\":{\"productID\":\"pump\",\"deviceName\":\"pump-01\"},"
              + "\"actionID\":\"setSpeed\",\"params\":{\"rpm\":1200}}' "
              + http
              + "/api/v1/push/action");
    }
    out.println(
        step++
            + ". Be a device yourself (any MQTT client), and see the reply to a value out of range (406):");
    out.println(
        "   mosquitto_pub"
            + device
            + " -t '$thing/up/property/env-sensor/sensor-01'"
            + " -m '{\"method\":\"report\",\"msgToken\":\"1\",\"params\":{\"temp\":21.5}}'");
    out.println(
        "   mosquitto_rr"
            + device
            + " -t '$thing/up/property/env-sensor/sensor-01'"
            + " -e '$thing/down/property/env-sensor/sensor-01'"
            + " -m '{\"method\":\"report\",\"msgToken\":\"2\",\"params\":{\"temp\":500}}'");
    out.println(step + ". Manage the registry through the admin API, as a platform admin:");
    out.println(
        "   curl -H 'Authorization: Bearer "
            + adminToken
            + "' "
            + http
            + "/api/v1/admin/tenants/default/devices");
    if (cfg.auth().hs256Secret().equals(secrets.secret())) {
      out.println();
      out.println(
          "The tokens last a day. The secret they are signed with and the key are kept in "
              + DemoSecrets.FILE
              + ",");
      out.println("so what is printed here stays valid across restarts. More tokens:");
      out.println(
          "   java -jar thingpush-server/target/thingpush.jar token -c "
              + DemoSecrets.FILE
              + " --user admin --ttl 1d");
    }
    out.println();
    out.flush();
  }
}
