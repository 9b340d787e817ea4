package io.thingpush.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * What a {@link ReconnectingClient} tells the app, on the client's own thread (do not block).
 * Every method does nothing by default.
 */
public interface ReconnectListener {
  default void onState(ReconnectingClient.State state) {}

  /** A connection was accepted; {@code resumed} after a reconnect. */
  default void onOpen(Connection connection, boolean resumed) {}

  /**
   * A connection ended (or was refused: {@code refusal} is the server's frame, else null).
   * {@code reconnectIn} is the wait before the next attempt, or null when the client stopped.
   */
  default void onClose(CloseStatus status, JsonNode refusal, Duration reconnectIn) {}

  /**
   * Events of a resumed subscription may be missing: history no longer reached back to {@code
   * since}, or {@code since} is null because there was no position to resume from (a server
   * whose {@code down.subRet} carries no {@code seq}, and no push seen yet).
   */
  default void onRecoveryFailed(String code, JsonNode params, Long since) {}

  /** The server ended a subscription (a grant revoked: 100012) or refused it on resume. */
  default void onRevoked(String code, JsonNode params, JsonNode frame) {}

  /**
   * Closed with 4001 (token expired or refused). With a token supplier the client asks it and
   * reconnects; without one it stops until {@link ReconnectingClient#setToken} is called.
   */
  default void onTokenExpired(CloseStatus status, JsonNode refusal) {}
}
