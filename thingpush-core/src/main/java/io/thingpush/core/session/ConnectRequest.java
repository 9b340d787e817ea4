package io.thingpush.core.session;

import io.thingpush.protocol.Lang;

/**
 * The parameters of a WebSocket upgrade (SPEC §1), each from its header or else its query
 * parameter; null when absent.
 */
public record ConnectRequest(
    String token, String appCode, String projectId, String tenantCode, Lang lang) {

  /** The request as a session keeps it: the token is checked and not needed any more. */
  public ConnectRequest withoutToken() {
    return new ConnectRequest(null, appCode, projectId, tenantCode, lang);
  }
}
