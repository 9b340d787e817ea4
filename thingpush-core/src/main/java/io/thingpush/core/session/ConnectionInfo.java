package io.thingpush.core.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One open connection as an operator sees it (docs/admin-api.md): who, from which app, since
 * when, what it holds and how far behind its reader is.
 *
 * @param openedAt when it was accepted, milliseconds since the epoch
 * @param queuedFrames frames waiting in its send queue
 */
public record ConnectionInfo(
    @JsonProperty("connectID") String connectId,
    String tenantCode,
    @JsonProperty("userID") String userId,
    String appCode,
    @JsonProperty("projectID") String projectId,
    long openedAt,
    List<Held> subscriptions,
    int queuedFrames) {

  /** A subscription: its code and params as the client sent them, and its filter (absent when none). */
  public record Held(
      String code, JsonNode params, @JsonInclude(JsonInclude.Include.NON_NULL) String filter) {}
}
