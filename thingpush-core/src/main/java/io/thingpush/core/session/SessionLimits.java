package io.thingpush.core.session;

/** The per-connection limits of SPEC §6. */
public record SessionLimits(
    int subscriptionsPerConnection,
    int messagesPerSecond,
    int messageBurst,
    long excessCloseMillis,
    int outboxFrames,
    long outboxBytes) {}
