package io.thingpush.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.auth.TokenMinter;
import io.thingpush.protocol.Json;
import io.thingpush.server.config.ThingPushConfig;
import io.thingpush.server.config.ThingPushConfig.PlatformAdmin;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Asks a running node to re-read the registry database ({@code POST /api/v1/admin/reload}), after
 * {@code thingpush import} or SQL changed it behind the node's back; every node of a cluster
 * then takes the change.
 */
@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description =
        "Ask a running server to re-read the registry database (after `import` into PostgreSQL, or SQL).")
final class ReloadCommand implements Callable<Integer> {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Mixin ConfigOption config;

  @Option(
      names = "--url",
      description = "the server's HTTP port (default: http://127.0.0.1:<http.port of the config>)")
  URI url;

  @Option(
      names = "--token",
      description =
          "a platform admin's token (default: one made with auth.hs256Secret for "
              + "the first of auth.platformAdmins)")
  String token;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ThingPushConfig cfg = config.load();
    URI base = url != null ? url : URI.create("http://127.0.0.1:" + cfg.http().port());
    URI reload = base.resolve("/api/v1/admin/reload");
    HttpResponse<String> answer;
    try {
      answer =
          HttpClient.newBuilder()
              .connectTimeout(WAIT)
              .build()
              .send(
                  HttpRequest.newBuilder(reload)
                      .timeout(WAIT)
                      .header("Authorization", "Bearer " + token(cfg))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      spec.commandLine()
          .getErr()
          .println(
              "reload: cannot reach "
                  + base
                  + ": connection refused. Is the server "
                  + "running? Give its HTTP port with --url.");
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("reload: " + reload + " failed: " + e);
      return 1;
    }
    JsonNode body = Json.parseOrNull(answer.body());
    if (answer.statusCode() != 200) {
      spec.commandLine()
          .getErr()
          .println(
              "reload: "
                  + base
                  + " answered "
                  + answer.statusCode()
                  + ": "
                  + (body == null ? answer.body() : body.path("msg").asText()));
      return 1;
    }
    spec.commandLine()
        .getOut()
        .println(
            "The server at " + base + " re-read the registry (every node of its cluster does).");
    return 0;
  }

  private String token(ThingPushConfig cfg) {
    if (token != null) {
      return token;
    }
    String secret = cfg.auth().hs256Secret();
    if (secret.isEmpty() || cfg.auth().platformAdmins().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "reload needs a platform admin's token: pass --token, or "
              + "give a config (-c) with auth.hs256Secret and auth.platformAdmins to make one with");
    }
    PlatformAdmin admin = cfg.auth().platformAdmins().get(0);
    return new TokenMinter(secret)
        .mint(admin.tenant(), admin.userID(), false, null, Duration.ofMinutes(5));
  }
}
