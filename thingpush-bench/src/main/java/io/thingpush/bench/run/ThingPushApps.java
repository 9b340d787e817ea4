package io.thingpush.bench.run;

import io.thingpush.bench.BenchRegistry;
import io.thingpush.bench.server.ServerCommand;
import io.thingpush.core.auth.TokenMinter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** How a bench app connects to a bench ThingPush node. */
public final class ThingPushApps {
  private ThingPushApps() {}

  /** The connect request target, with a token of the bench user. */
  public static String target() {
    String token =
        new TokenMinter(ServerCommand.SECRET)
            .mint(BenchRegistry.TENANT, BenchRegistry.USER, true, null, Duration.ofDays(1));
    return "/api/v1/system/common/websocket/connect?app-code="
        + BenchRegistry.APP
        + "&token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }
}
