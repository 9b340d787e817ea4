package io.thingpush.core.subscription;

import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;

/** One entry of the index: a code and what it watches. Subscriptions and events meet here. */
public record SubKey(SubCode code, Target target) {}
