package io.thingpush.core.session;

import io.thingpush.protocol.Lang;

/**
 * The parameters of a WebSocket upgrade (SPEC §1) as {@link ConnectParams} read them; null when
 * absent. {@code projectId} is null also for an id that means "no project".
 */
public record ConnectRequest(
    String token, String appCode, String projectId, String tenantCode, Lang lang) {

  /** The request with another default project (an {@code up.setHandle} switch). */
  ConnectRequest withProject(String project) {
    return new ConnectRequest(token, appCode, project, tenantCode, lang);
  }

  /** The app the connection is for: the given app-code, else i-Things' default. */
  public String app() {
    return appCode == null ? ConnectParams.DEFAULT_APP_CODE : appCode;
  }
}
