package io.thingpush.core.session;

import io.thingpush.core.auth.Authoriser;
import io.thingpush.core.auth.TokenVerifier;
import io.thingpush.core.directory.Directory;
import io.thingpush.core.events.EventLog;
import io.thingpush.core.events.LatestStore;
import io.thingpush.core.fanout.Hub;
import io.thingpush.core.filter.FilterCompiler;
import io.thingpush.core.time.AlarmClock;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What every session of a node works with, given once to {@link Sessions}, which hands it to
 * each session it opens.
 *
 * @param directory the registry as it is now (it is replaced when the registry changes)
 * @param filters compiles the subscriptions' filters (SPEC §10)
 * @param compiles where a filter not compiled lately is compiled: not on a thread that serves connections
 * @param clock what token expiry and the message rate are measured by
 */
public record SessionContext(
    TokenVerifier tokens,
    Authoriser authoriser,
    Hub hub,
    EventLog log,
    LatestStore latest,
    Supplier<Directory> directory,
    SessionLimits limits,
    ConnectParams params,
    FilterCompiler filters,
    Executor compiles,
    AlarmClock clock) {}
