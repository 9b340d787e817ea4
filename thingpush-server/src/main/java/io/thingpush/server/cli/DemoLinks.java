package io.thingpush.server.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The links {@code serve --demo} prints for the demo user's token. The console link carries
 * the token in the URL fragment, which a browser never sends to a server: the console page
 * reads it from there, so no server ever hands out a token over HTTP.
 */
public final class DemoLinks {
  public static final String APP_CODE = "demo";
  public static final String PROJECT_ID = "p-factory";

  private DemoLinks() {}

  /** The WebSocket connect URL with every parameter in the query. */
  public static String connectUrl(int wsPort, String wsPath, String token) {
    return "ws://127.0.0.1:"
        + wsPort
        + wsPath
        + "?app-code="
        + APP_CODE
        + "&project-id="
        + PROJECT_ID
        + "&token="
        + encode(token);
  }

  /** The console page, filled in with the token, app-code and project. */
  public static String consoleUrl(int httpPort, String token) {
    return "http://127.0.0.1:"
        + httpPort
        + "/console/#token="
        + encode(token)
        + "&app-code="
        + APP_CODE
        + "&project-id="
        + PROJECT_ID;
  }

  /** The console for a platform admin, who reads no project: its operator view. */
  public static String operatorUrl(int httpPort, String token) {
    return "http://127.0.0.1:"
        + httpPort
        + "/console/#token="
        + encode(token)
        + "&app-code="
        + APP_CODE;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
