package io.thingpush.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.thingpush.protocol.Json;
import io.thingpush.server.config.ThingPushConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The first stage after the HTTP codec: an upgrade of the connect path goes on to the WebSocket
 * handshake; every other request is answered here with a JSON body and the connection closed.
 */
class UpgradeGuardTest {
  private static final ThingPushConfig.Ws WS = ThingPushConfig.parse("", Map.of()).ws();
  private final EmbeddedChannel channel = new EmbeddedChannel(new UpgradeGuard(WS));

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  private static FullHttpRequest request(String uri, boolean upgrade) {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    if (upgrade) {
      request
          .headers()
          .set(HttpHeaderNames.CONNECTION, "Upgrade")
          .set(HttpHeaderNames.UPGRADE, "WebSocket");
    }
    return request;
  }

  private FullHttpResponse answer() {
    FullHttpResponse response = channel.readOutbound();
    assertThat(response).as("the guard's answer").isNotNull();
    assertThat(channel.isOpen()).as("closed after the answer").isFalse();
    assertThat((Object) channel.readInbound()).as("nothing passed on").isNull();
    return response;
  }

  private static JsonNode body(FullHttpResponse response) {
    try {
      assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE))
          .isEqualTo("application/json; charset=utf-8");
      assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
          .isEqualTo(response.content().readableBytes());
      return Json.parseOrNull(response.content().toString(StandardCharsets.UTF_8));
    } finally {
      response.release();
    }
  }

  @Test
  void anUpgradeOfTheConnectPathGoesOnAndTheGuardLeaves() {
    FullHttpRequest upgrade = request(WS.path() + "?app-code=a&token=t", true);

    channel.writeInbound(upgrade);

    assertThat((Object) channel.readInbound()).isSameAs(upgrade);
    assertThat(upgrade.refCnt()).as("handed on, not released").isEqualTo(1);
    assertThat(channel.pipeline().get(UpgradeGuard.class)).isNull();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(channel.isOpen()).isTrue();
    upgrade.release();
  }

  @Test
  void theUpgradeHeaderIsMatchedWithoutRegardToCase() {
    FullHttpRequest upgrade = request(WS.path(), false);
    upgrade.headers().set(HttpHeaderNames.UPGRADE, "websocket");

    channel.writeInbound(upgrade);

    assertThat((Object) channel.readInbound()).isSameAs(upgrade);
    upgrade.release();
  }

  @Test
  void aPlainRequestToTheConnectPathIs400() {
    FullHttpRequest plain = request(WS.path() + "?app-code=a", false);

    channel.writeInbound(plain);

    FullHttpResponse response = answer();
    assertThat(response.status().code()).isEqualTo(400);
    assertThat(body(response).toString())
        .isEqualTo("{\"code\":100006,\"msg\":\"参数错误: WebSocket upgrade required\"}");
    assertThat(plain.refCnt()).as("released").isZero();
  }

  @Test
  void anUpgradeOfAnotherPathIs404InTheLanguageAsked() {
    FullHttpRequest elsewhere = request("/elsewhere", true);
    elsewhere.headers().set(HttpHeaderNames.ACCEPT_LANGUAGE, "en-US,en;q=0.9");

    channel.writeInbound(elsewhere);

    FullHttpResponse response = answer();
    assertThat(response.status().code()).isEqualTo(404);
    assertThat(body(response).toString())
        .isEqualTo("{\"code\":100009,\"msg\":\"not found: no such path\"}");
  }

  @Test
  void aRequestLineOverItsLimitIs414NamingTheLimit() {
    FullHttpRequest tooLong = request(WS.path(), true);
    tooLong.setDecoderResult(DecoderResult.failure(new TooLongHttpLineException("line")));

    channel.writeInbound(tooLong);

    FullHttpResponse response = answer();
    assertThat(response.status().code()).isEqualTo(414);
    assertThat(body(response).path("msg").asText())
        .isEqualTo(
            "参数错误: request line over "
                + WS.maxRequestLineBytes()
                + " bytes (ws.maxRequestLineBytes)");
  }

  @Test
  void headersOverTheirLimitAre431NamingTheLimit() {
    FullHttpRequest tooLong = request(WS.path(), true);
    tooLong.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("headers")));

    channel.writeInbound(tooLong);

    FullHttpResponse response = answer();
    assertThat(response.status().code()).isEqualTo(431);
    assertThat(body(response).path("msg").asText())
        .isEqualTo(
            "参数错误: request headers over " + WS.maxHeaderBytes() + " bytes (ws.maxHeaderBytes)");
  }

  @Test
  void aRequestTheCodecCouldNotReadIs400EvenAsAnUpgrade() {
    FullHttpRequest malformed = request(WS.path(), true);
    malformed.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad")));

    channel.writeInbound(malformed);

    FullHttpResponse response = answer();
    assertThat(response.status().code()).isEqualTo(400);
    assertThat(body(response).toString())
        .isEqualTo("{\"code\":100006,\"msg\":\"参数错误: malformed HTTP request\"}");
  }
}
