package io.thingpush.server.it;

import static io.thingpush.client.testkit.TestConnections.framesSoFar;
import static io.thingpush.client.testkit.TestConnections.pushesSoFar;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingpush.client.Connection;
import io.thingpush.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Helpers of the option tests ({@code since}, {@code snapshot}, {@code throttleMs}): {@code up.sub}
 * bodies with options, and what a connection received after a given reply.
 */
public final class Subs {
  public static final String OK_SUB =
      "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*'}";
  public static final String OK_UNSUB =
      "{'code':200,'msg':'成功','type':'down.unSubRet','handler':'*'}";
  public static final String RECOVERED =
      "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*','recovered':true}";
  public static final String NOT_RECOVERED =
      "{'code':200,'msg':'成功','type':'down.subRet','seq':'*','handler':'*','recovered':false}";

  private Subs() {}

  /** The body of an {@code up.sub}; add options with {@code put}. */
  public static ObjectNode sub(String code, Map<String, ?> params) {
    ObjectNode body = Json.object();
    body.put("code", code);
    body.set("params", Json.MAPPER.valueToTree(params));
    return body;
  }

  public static Map<String, Object> device(String deviceName) {
    return Jsons.params("productID", "prodA", "deviceName", deviceName);
  }

  public static Map<String, Object> property(String deviceName, String identifier) {
    return Jsons.params("productID", "prodA", "deviceName", deviceName, "identifier", identifier);
  }

  public static List<Long> seqs(List<JsonNode> pushes) {
    List<Long> seqs = new ArrayList<>();
    for (JsonNode p : pushes) {
      seqs.add(p.get("seq").asLong());
    }
    return seqs;
  }

  public static boolean isPush(JsonNode frame) {
    return "down.pub".equals(frame.path("type").textValue());
  }

  /** The pushes of one device (by {@code body.device.deviceName}). */
  public static Predicate<JsonNode> ofDevice(String deviceName) {
    return p -> deviceName.equals(p.path("body").path("device").path("deviceName").textValue());
  }

  public static List<JsonNode> filter(List<JsonNode> frames, Predicate<JsonNode> keep) {
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode f : frames) {
      if (keep.test(f)) {
        kept.add(f);
      }
    }
    return kept;
  }

  /** Waits until a push with {@code seq} arrived, then returns every push so far. */
  public static List<JsonNode> untilSeq(Connection c, long seq) {
    Waits.await()
        .alias("push with seq " + seq + " on " + c.connectID())
        .until(() -> pushesSoFar(c).stream().anyMatch(p -> p.path("seq").asLong() == seq));
    return pushesSoFar(c);
  }

  /** The frames received after {@code reply} (a frame of {@link Connection#framesSoFar()}). */
  public static List<JsonNode> framesAfter(Connection c, JsonNode reply) {
    List<JsonNode> frames = framesSoFar(c);
    for (int i = 0; i < frames.size(); i++) {
      if (frames.get(i) == reply) {
        return frames.subList(i + 1, frames.size());
      }
    }
    throw new AssertionError("reply " + reply + " not among the frames received");
  }

  /** Sends {@code up.ping} and waits for its pong: every frame the server meant to send before is in. */
  public static void pingPong(Connection c) {
    JsonNode pong = TestServer.join(c.ping(Json.object().put("barrier", true)));
    assertThat(pong.path("type").textValue()).as("%s", pong).isEqualTo("down.pong");
  }
}
