package io.thingpush.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ThingPushClient;
import io.thingpush.protocol.Json;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A terminal WebSocket client: connects, subscribes, prints every frame as one JSON line. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Connect to a connect URL (as `serve --demo` prints it), subscribe, print what arrives.")
final class WatchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "URL", description = "ws://host:port/api/v1/system/common/websocket/connect?token=...&app-code=...")
  URI url;

  @Option(names = "--sub", paramLabel = "BODY",
      description = "body of an up.sub, repeatable (default: ${DEFAULT-VALUE})",
      defaultValue = "{\"code\":\"devicePropertyReport\",\"params\":{}}")
  List<String> subscriptions;

  @Option(names = "--seconds", description = "stop after this many seconds (default: run until Ctrl-C)")
  Long seconds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Connection connection = ThingPushClient.connect(options(url)).get(30, TimeUnit.SECONDS);
    out.println(Json.text(connection.hello()));
    out.flush();
    if (!connection.accepted()) {
      return 1;
    }
    connection.onFrame(frame -> {
      out.println(Json.text(frame));
      out.flush();
    });
    for (String body : subscriptions) {
      JsonNode parsed = Json.parseOrNull(body);
      if (parsed == null) {
        spec.commandLine().getErr().println("--sub is not JSON: " + body);
        return 2;
      }
      connection.subscribe(parsed);
    }
    CloseStatus closed = seconds == null
        ? connection.closed().get()
        : connection.closed().completeOnTimeout(null, seconds, TimeUnit.SECONDS).get();
    connection.close();
    return closed == null || closed.code() == 1000 ? 0 : 1;
  }

  /** Splits a full connect URL into the client's options. */
  private static ConnectOptions options(URI url) {
    ConnectOptions.Builder options = ConnectOptions.builder(url.getScheme() + "://" + url.getRawAuthority())
        .path(url.getRawPath());
    if (url.getRawQuery() != null) {
      for (String pair : url.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        switch (name) {
          case "token" -> options.token(value);
          case "app-code" -> options.appCode(value);
          case "project-id" -> options.projectId(value);
          case "tenant-code" -> options.tenantCode(value);
          default -> options.queryParam(name, value);
        }
      }
    }
    return options.build();
  }
}
