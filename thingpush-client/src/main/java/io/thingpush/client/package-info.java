/**
 * The Java client of the ThingPush WebSocket API, on the JDK's {@link java.net.http.WebSocket}.
 *
 * <p>{@link io.thingpush.client.ThingPushClient#connect} opens a {@link
 * io.thingpush.client.Connection} from immutable {@link io.thingpush.client.ConnectOptions}.
 * A connection correlates each request with its reply through a {@code reqID} in the request's
 * {@code handler} ({@code PendingReplies}), keeps every frame received ({@code Inbox}) and hands
 * pushes and unsolicited frames to listeners.
 *
 * <p>Reconnecting and resuming are not built yet; the pieces they need are in place: options
 * can be rebuilt with a fresh token ({@link io.thingpush.client.ConnectOptions#toBuilder()}),
 * {@link io.thingpush.client.Connection#lastSeq()} is the {@code since} to resume from, and
 * {@link io.thingpush.client.Connection#closed()} tells whether the close code invites a
 * reconnect.
 */
package io.thingpush.client;
