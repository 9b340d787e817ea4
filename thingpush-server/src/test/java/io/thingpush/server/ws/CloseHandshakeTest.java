package io.thingpush.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.thingpush.protocol.CloseCode;
import io.thingpush.server.observe.ServerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.5.1 as the client frames' stage plays it, whoever starts the close. */
class CloseHandshakeTest {
  private final ServerMetrics stageMetrics = new ServerMetrics(false);
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new ClientFrames(1024, new Heartbeat(10_000, 5), stageMetrics));

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
    stageMetrics.close();
  }

  @Test
  void aCloseTheClientStartsIsAnsweredWithItsCodeThenTheConnectionEnds() {
    CloseWebSocketFrame fromClient = new CloseWebSocketFrame(4321, "leaving");

    channel.writeInbound(fromClient);

    CloseWebSocketFrame answer = channel.readOutbound();
    assertThat(answer.statusCode()).isEqualTo(4321);
    assertThat(answer.reasonText()).isEqualTo("leaving");
    answer.release();
    assertThat(channel.isOpen()).isFalse();
    assertThat(fromClient.refCnt()).as("released").isZero();
    assertThat((Object) channel.readInbound()).as("not passed on").isNull();
  }

  @Test
  void theClientsAnswerToTheServersCloseEndsTheConnectionWithNothingMoreSent() {
    ServerMetrics metrics = new ServerMetrics(false);
    NettyTransport.closeChannel(channel, CloseCode.SHUTDOWN, "bye", metrics);
    CloseWebSocketFrame fromServer = channel.readOutbound();
    assertThat(fromServer.statusCode()).isEqualTo(CloseCode.SHUTDOWN.code());
    fromServer.release();

    CloseWebSocketFrame answer = new CloseWebSocketFrame(CloseCode.SHUTDOWN.code(), "bye");
    channel.writeInbound(answer);

    assertThat((Object) channel.readOutbound()).as("no second close frame").isNull();
    assertThat(channel.isOpen()).isFalse();
    assertThat(answer.refCnt()).isZero();
    metrics.close();
  }

  @Test
  void theServerSendsOneCloseFrameHoweverOftenItDecidesToClose() {
    ServerMetrics metrics = new ServerMetrics(false);

    NettyTransport.closeChannel(channel, CloseCode.TOO_SLOW, "slow", metrics);
    NettyTransport.closeChannel(channel, CloseCode.SHUTDOWN, "bye", metrics);

    CloseWebSocketFrame first = channel.readOutbound();
    assertThat(first.statusCode()).isEqualTo(CloseCode.TOO_SLOW.code());
    first.release();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(metrics.scrape())
        .contains("thingpush_closes_total{code=\"" + CloseCode.TOO_SLOW.code() + "\"} 1.0")
        .doesNotContain("thingpush_closes_total{code=\"" + CloseCode.SHUTDOWN.code() + "\"}");
    metrics.close();
  }

  @Test
  void aMessageIsNotPartOfIt() {
    channel.writeInbound(new TextWebSocketFrame("{}"));

    assertThat((Object) channel.readInbound()).isEqualTo(new ClientMessage("{}", null));
    assertThat((Object) channel.readOutbound()).isNull();
  }
}
