package io.thingpush.core.subscription;

import io.thingpush.protocol.SubCode;
import io.thingpush.protocol.Target;

/**
 * One entry of the index: a code and what it watches. Subscriptions and events meet here. Its
 * hash is computed once: fan-out looks every key of an event up in the index and in each
 * recipient's subscriptions.
 */
public final class SubKey {
  private static final SubKey[] SHARES = new SubKey[SubCode.values().length];

  static {
    for (SubCode code : SubCode.values()) {
      SHARES[code.ordinal()] = new SubKey(code, Target.shares());
    }
  }

  private final SubCode code;
  private final Target target;
  private final int hash;

  public SubKey(SubCode code, Target target) {
    this.code = code;
    this.target = target;
    // The code's ordinal, not its identity hash: an event makes several keys, each hashed here.
    this.hash = 31 * code.ordinal() + target.hashCode();
  }

  /** The key of the {@code {shareDevice: true}} subscription of {@code code} (one instance per code). */
  public static SubKey shares(SubCode code) {
    return SHARES[code.ordinal()];
  }

  /**
   * The key of the subscription an index key reaches in a connection: itself, or for a shared
   * device's key the connection's {@code {shareDevice: true}} subscription of that code.
   */
  public SubKey held() {
    return target.kind() == Target.Kind.SHARED_DEVICE ? SHARES[code.ordinal()] : this;
  }

  public SubCode code() {
    return code;
  }

  public Target target() {
    return target;
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || o instanceof SubKey k && k.hash == hash && k.code == code && k.target.equals(target);
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
