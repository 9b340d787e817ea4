package io.thingpush.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingpush.core.auth.Authoriser;
import io.thingpush.core.auth.JwtTokenVerifier;
import io.thingpush.core.auth.TokenMinter;
import io.thingpush.core.cluster.ClusterBus;
import io.thingpush.core.cluster.Interests;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.directory.Product;
import io.thingpush.core.directory.Project;
import io.thingpush.core.directory.Tenant;
import io.thingpush.core.events.InMemoryEventLog;
import io.thingpush.core.events.LatestValues;
import io.thingpush.core.fanout.FakeTransport;
import io.thingpush.core.fanout.FanoutMetrics;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.filter.FilterCompiler;
import io.thingpush.core.ingest.Dispatcher;
import io.thingpush.core.ingest.IngestMetrics;
import io.thingpush.core.subscription.SubKey;
import io.thingpush.core.time.AlarmClock;
import io.thingpush.protocol.Json;
import io.thingpush.protocol.Lang;
import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.TraceId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reply's {@code seq} in cluster mode, on a bus whose interest opens when the test says: it
 * is read only once the node receives the subscription's events, so an event stored while the
 * interest was opening (which this node never gets live) is at or below it, and a resume from it
 * cannot miss that event.
 */
class SessionSeamTest {
  private static final String SECRET = "session-seam-test-secret-0123456789-abcdef";
  private static final String SUB =
      "{\"type\":\"up.sub\",\"body\":{\"code\":\"deviceConn\",\"params\":{\"productID\":\"prod\",\"deviceName\":\"d1\"}}}";

  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final CompletableFuture<Void> interest = new CompletableFuture<>();
  private final ClusterBus bus =
      new ClusterBus() {
        @Override
        public CompletionStage<Void> open(SubKey key) {
          return interest;
        }

        @Override
        public void close(SubKey key) {}
      };
  private final Directory directory =
      Directory.of(
          List.of(new Tenant("default", "Default")),
          List.of(new Project("p1", "default", "Plant")),
          List.of(),
          List.of(new Product("prod", "default", "Sensor", Json.object())),
          List.of(new Device("prod", "d1", "secret", "default", "p1", null)),
          List.of());
  private final InMemoryEventLog log = new InMemoryEventLog(100, 3_600_000, Clock.systemUTC());

  /** Cluster mode: the dispatcher appends to the log; the bus alone would bring events here. */
  private final Dispatcher dispatcher =
      new Dispatcher(() -> directory, log, IngestMetrics.NONE, Clock.systemUTC());

  private final Sessions sessions =
      new Sessions(
          new SessionContext(
              new JwtTokenVerifier(SECRET, Clock.systemUTC()),
              new Authoriser(() -> directory),
              new Hub(new Interests(bus, loop, 100)),
              log,
              new LatestValues(),
              () -> directory,
              new SessionLimits(200, 50, 100, 10_000, 1_000, 1_000_000),
              new ConnectParams(Set.of("0")),
              new FilterCompiler(),
              Runnable::run,
              AlarmClock.system()),
          new LocalConnectionQuota(10, 10),
          FanoutMetrics.NONE);

  @AfterEach
  void stop() {
    loop.shutdownNow();
  }

  private long conn(int status) {
    return dispatcher
        .publish(
            "test",
            null,
            SubCode.DEVICE_CONN,
            "prod",
            "d1",
            Json.parseOrNull("{\"status\":" + status + "}"))
        .toCompletableFuture()
        .join()
        .seq();
  }

  @Test
  void theReplysSeqIsReadOnceTheInterestIsOpen() throws Exception {
    FakeTransport t = new FakeTransport(loop);
    String token =
        new TokenMinter(SECRET).mint("default", "alice", true, null, Duration.ofHours(1));
    Session session =
        loop.submit(
                () ->
                    sessions.open(
                        t,
                        new ConnectRequest(token, "app", null, null, Lang.EN),
                        1,
                        new TraceId(0x0123456789abcdefL, 0x0123456789abcdefL)))
            .get();
    conn(1);

    loop.submit(() -> session.onText(SUB)).get();
    long whileOpening = conn(2);
    assertThat(loop.submit(t::writtenTexts).get())
        .as("no reply before the interest is open")
        .hasSize(1);
    interest.complete(null);

    List<String> frames = loop.submit(t::writtenTexts).get();
    assertThat(frames).hasSize(2);
    JsonNode reply = Json.parseOrNull(frames.get(1));
    assertThat(reply.path("type").asText()).isEqualTo("down.subRet");
    assertThat(reply.path("seq").asLong()).as("%s", reply).isEqualTo(whileOpening);
  }
}
