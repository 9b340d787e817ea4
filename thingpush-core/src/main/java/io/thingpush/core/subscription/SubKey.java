package io.thingpush.core.subscription;

import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;

/**
 * One entry of the index: a code and what it watches. Subscriptions and events meet here. Its
 * hash is computed once: fan-out looks every key of an event up in the index and in each
 * recipient's subscriptions.
 */
public final class SubKey {
  private final SubCode code;
  private final Target target;
  private final int hash;

  public SubKey(SubCode code, Target target) {
    this.code = code;
    this.target = target;
    this.hash = 31 * code.hashCode() + target.hashCode();
  }

  public SubCode code() {
    return code;
  }

  public Target target() {
    return target;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof SubKey k && k.hash == hash && k.code == code && k.target.equals(target);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "SubKey[code=" + code + ", target=" + target + "]";
  }
}
