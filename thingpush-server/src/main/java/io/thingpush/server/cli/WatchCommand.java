package io.thingpush.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.client.ConnectOptions;
import io.thingpush.client.Connection;
import io.thingpush.client.ThingPushClient;
import io.thingpush.protocol.Json;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A terminal WebSocket client: connects, subscribes, prints every frame as one JSON line. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Connect to a connect URL (as `serve --demo` prints it), subscribe, print what arrives.")
final class WatchCommand implements Callable<Integer> {
  private static final int CONNECT_SECONDS = 30;

  @Parameters(
      paramLabel = "URL",
      description = "ws://host:port/api/v1/system/common/websocket/connect?token=...&app-code=...")
  URI url;

  @Option(
      names = "--sub",
      paramLabel = "BODY",
      description = "body of an up.sub, repeatable (default: ${DEFAULT-VALUE})",
      defaultValue = "{\"code\":\"devicePropertyReport\",\"params\":{}}")
  List<String> subscriptions;

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      description =
          "a filter (SPEC §10, CEL over the push body, e.g. 'status == 2' or 'param > 30') for each --sub"
              + " that has none of its own")
  String filter;

  @Option(
      names = "--seconds",
      description = "stop after this many seconds (default: run until Ctrl-C)")
  Long seconds;

  @Option(
      names = "--lang",
      description = "language of the server's msg texts: zh or en (default: ${DEFAULT-VALUE})",
      defaultValue = "zh")
  String lang;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!lang.equals("zh") && !lang.equals("en")) {
      throw new ParameterException(spec.commandLine(), "--lang must be zh or en");
    }
    if (url.getScheme() == null
        || !url.getScheme().matches("wss?")
        || url.getRawAuthority() == null) {
      throw new ParameterException(
          spec.commandLine(),
          "URL must be a ws:// or wss:// connect URL, as `serve --demo` " + "prints it");
    }
    PrintWriter out = spec.commandLine().getOut();
    Connection connection;
    try {
      connection =
          ThingPushClient.connect(options(url, lang)).get(CONNECT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      spec.commandLine()
          .getErr()
          .println(
              "watch: cannot connect to "
                  + url.getScheme()
                  + "://"
                  + url.getRawAuthority()
                  + url.getRawPath()
                  + ": "
                  + why(e)
                  + ". Is the server running? `serve` prints its WebSocket URL.");
      return 1;
    }
    out.println(Json.text(connection.hello()));
    out.flush();
    if (!connection.accepted()) {
      return 1;
    }
    connection.onFrame(
        frame -> {
          out.println(Json.text(frame));
          out.flush();
        });
    for (String body : subscriptions) {
      JsonNode parsed = Json.parseOrNull(body);
      if (parsed == null || !parsed.isObject()) {
        spec.commandLine().getErr().println("--sub is not a JSON object: " + body);
        return 2;
      }
      if (filter != null && !parsed.has("filter")) {
        ((ObjectNode) parsed).put("filter", filter);
      }
      connection.subscribe(parsed);
    }
    CloseStatus closed =
        seconds == null
            ? connection.closed().get()
            : connection.closed().completeOnTimeout(null, seconds, TimeUnit.SECONDS).get();
    connection.close();
    return closed == null || closed.code() == 1000 ? 0 : 1;
  }

  /** What went wrong, in words: the JDK's connect exceptions often have no message. */
  private static String why(Exception e) {
    if (e instanceof TimeoutException) {
      return "no answer within " + CONNECT_SECONDS + " s";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    Throwable cause = e.getCause() == null ? e : e.getCause();
    while (cause.getCause() != null
        && (cause.getMessage() == null || cause instanceof CompletionException)) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /** Splits a full connect URL into the client's options. */
  private static ConnectOptions options(URI url, String lang) {
    ConnectOptions.Builder options =
        ConnectOptions.builder(url.getScheme() + "://" + url.getRawAuthority())
            .path(url.getRawPath())
            .acceptLanguage(lang.equals("en") ? "en" : null);
    if (url.getRawQuery() != null) {
      for (String pair : url.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
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
