package io.thingpush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.client.CloseStatus;
import io.thingpush.protocol.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An app written for i-Things and nothing else: it connects with the names i-Things' own server
 * reads ({@code ithings-token}, {@code Authorization: Bearer}, {@code ithings-app-code}…), sends
 * i-Things' frames (its {@code up.setHandle} puts the new values in {@code handler}) and reads
 * the frames as they come, over a real WebSocket.
 */
public final class IThingsApp implements AutoCloseable {
  private final RawWebSocket socket;
  private final JsonNode hello;
  private final List<JsonNode> kept = new ArrayList<>();

  private IThingsApp(RawWebSocket socket) {
    this.socket = socket;
    this.hello = socket.awaitJson(TestServer.WAIT);
    assertThat(hello).as("the server's first frame").isNotNull();
  }

  /** The connect parameters an app sends, as headers and as query parameters. */
  public static final class Params {
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();

    public Params header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Params query(String name, String value) {
      query.put(name, value);
      return this;
    }

    public Params bearer(String token) {
      return header("Authorization", "Bearer " + token);
    }

    String queryString() {
      List<String> pairs = new ArrayList<>();
      query.forEach((k, v) -> pairs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
      return String.join("&", pairs);
    }
  }

  public static Params params() {
    return new Params();
  }

  public static IThingsApp connect(TestServer server, Params params) {
    URI uri = server.connectUri(params.queryString());
    return new IThingsApp(server.raw(uri, params.headers, true));
  }

  /** The connect frame, or the refusal. */
  public JsonNode hello() {
    return hello;
  }

  public boolean accepted() {
    return hello.path("code").asInt() == 200;
  }

  /** The close code after a refusal. */
  public int closeCode() {
    CloseStatus close = TestServer.join(socket.closeFrame());
    return close.code();
  }

  public void send(String jsonWithSingleQuotes) {
    socket.sendText(Json.text(Jsons.json(jsonWithSingleQuotes)));
  }

  /** {@code up.sub} of {@code code} with {@code params} (single-quoted JSON). */
  public JsonNode subscribe(String code, String params) {
    send("{'type':'up.sub','body':{'code':'" + code + "','params':" + params + "}}");
    return next("down.subRet");
  }

  /** i-Things' token refresh: no body, the new values in {@code handler}. */
  public JsonNode setHandle(Map<String, String> handler) {
    socket.sendText(
        "{\"type\":\"up.setHandle\",\"handler\":"
            + Json.text(Json.MAPPER.valueToTree(handler))
            + "}");
    return next("down.setHandleRet");
  }

  /** The next frame of {@code type} (frames of other types before it are kept for {@link #next(String)}). */
  public JsonNode next(String type) {
    for (int i = 0; i < kept.size(); i++) {
      if (type.equals(kept.get(i).path("type").asText())) {
        return kept.remove(i);
      }
    }
    long deadline = System.nanoTime() + TestServer.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode frame =
          socket.awaitJson(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (frame == null) {
        break;
      }
      if (type.equals(frame.path("type").asText())) {
        return frame;
      }
      kept.add(frame);
    }
    throw new AssertionError("no " + type + " within " + TestServer.WAIT + "; got " + kept);
  }

  /** Asserts that no frame of {@code type} came, nor comes within {@code quiet}. */
  public void noneOf(String type, Duration quiet) {
    assertThat(kept)
        .as("frames so far")
        .noneMatch(frame -> type.equals(frame.path("type").asText()));
    long deadline = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode frame =
          socket.awaitJson(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (frame == null) {
        break;
      }
      assertThat(frame.path("type").asText()).as("unexpected frame %s", frame).isNotEqualTo(type);
      kept.add(frame);
    }
  }

  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public void close() {
    socket.close();
  }
}
