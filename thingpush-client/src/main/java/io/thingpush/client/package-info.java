/**
 * The Java client of the ThingPush WebSocket API, on the JDK's {@link java.net.http.WebSocket}.
 *
 * <p>{@link io.thingpush.client.ThingPushClient#connect} opens a {@link
 * io.thingpush.client.Connection} from immutable {@link io.thingpush.client.ConnectOptions}.
 * A connection correlates each request with its reply through a {@code reqID} in the request's
 * {@code handler} ({@code PendingReplies}) and hands every frame, pushes and unsolicited frames
 * to listeners.
 *
 * <p>{@link io.thingpush.client.ReconnectingClient} stays connected on top of it: reconnect with
 * backoff and jitter ({@link io.thingpush.client.ReconnectPolicy}), every subscription again with
 * {@code since} = its own position ({@code Positions}: its {@code down.subRet}'s {@code seq},
 * raised by the live pushes after it; duplicates of overlapping replays dropped by {@code
 * ResumeFilter}), a heartbeat for dead links, token refresh, and a {@link
 * io.thingpush.client.ReconnectListener} for gaps, revocations and refused tokens.
 */
package io.thingpush.client;
