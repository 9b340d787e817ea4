package io.thingpush.server.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.thingpush.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Lets a test script in another process (Node, the browser test) drive a {@link TestServer}:
 * {@code GET /info} (addresses and the platform publish key), {@code POST /token?user=&ttlMs=&admin=}
 * (a token of that user in tenant default, a tenant admin's with {@code admin=true}, living {@code ttlMs} by the
 * server's clock), {@code POST /restart?downMs=} (stop, wait, start on the same ports), {@code POST /advance?ms=}
 * (moves the server's clock forward: a token expires without waiting). Loopback only, for the length of one test.
 */
public final class ControlServer implements AutoCloseable {
  private final HttpServer http;

  public ControlServer(TestServer server, Map<String, String> extraInfo) {
    try {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    route(
        "/info",
        q -> {
          ObjectNode info =
              Json.object()
                  .put("wsUrl", server.connectUri("").toString())
                  .put("httpUrl", server.httpBase().toString())
                  .put("publishKey", TestServer.PLATFORM_KEY)
                  .put("appCode", TestServer.APP);
          extraInfo.forEach(info::put);
          return info;
        });
    route(
        "/token",
        q -> {
          Instant expires =
              server
                  .clock()
                  .instant()
                  .plusMillis(Long.parseLong(q.getOrDefault("ttlMs", "3600000")));
          Tokens.Builder token = server.token(q.get("user")).expiresAt(expires);
          return Json.object()
              .put("token", ("true".equals(q.get("admin")) ? token.admin() : token).sign());
        });
    route(
        "/restart",
        q -> {
          server.restart(Duration.ofMillis(Long.parseLong(q.getOrDefault("downMs", "0"))));
          return Json.object().put("restarted", true);
        });
    route(
        "/advance",
        q -> {
          server.clock().advance(Duration.ofMillis(Long.parseLong(q.get("ms"))));
          return Json.object().put("advanced", true);
        });
    http.start();
  }

  /** The base URL the script is given in {@code THINGPUSH_CONTROL}. */
  public String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  private void route(String path, Function<Map<String, String>, ObjectNode> action) {
    http.createContext(
        path,
        exchange -> {
          try (exchange) {
            byte[] body;
            int status = 200;
            try {
              body = Json.bytes(action.apply(query(exchange)));
            } catch (RuntimeException e) {
              status = 500;
              body = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> q = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          q.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
