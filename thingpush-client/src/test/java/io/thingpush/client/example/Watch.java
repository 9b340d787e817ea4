package io.thingpush.client.example;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.ReconnectingClient;
import io.thingpush.client.ReconnectingClient.SubscribeOptions;
import java.util.Map;

/**
 * The example of the client's README: prints the demo's property reports for 10 seconds.
 *
 * <pre>java -cp thingpush-server/target/thingpush.jar thingpush-client/src/test/java/io/thingpush/client/example/Watch.java ws://127.0.0.1:7777 TOKEN</pre>
 */
public class Watch {
  public static void main(String[] args) throws Exception {
    ConnectOptions options =
        ConnectOptions.builder(args[0])
            .token(args[1])
            .appCode("demo")
            .projectId("p-factory")
            .build();
    try (ReconnectingClient client = ReconnectingClient.builder(options).build()) {
      client.onPush(
          "devicePropertyReport",
          push -> {
            JsonNode body = push.get("body");
            System.out.println(
                body.at("/device/deviceName").asText()
                    + " "
                    + body.get("identifier").asText()
                    + " = "
                    + body.get("param")
                    + " (seq "
                    + push.get("seq")
                    + ")");
          });
      client.connect().join();
      client
          .subscribe(
              "devicePropertyReport", Map.of("projectID", "p-factory"), SubscribeOptions.NONE)
          .join();
      Thread.sleep(10_000);
    }
  }
}
