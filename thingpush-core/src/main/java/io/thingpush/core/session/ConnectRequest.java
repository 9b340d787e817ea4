package io.thingpush.core.session;

import io.thingpush.protocol.Lang;

/**
 * The parameters of a WebSocket upgrade (SPEC §1), each from its header or else its query
 * parameter; null when absent.
 */
public record ConnectRequest(
    String token, String appCode, String projectId, String tenantCode, Lang lang) {}
