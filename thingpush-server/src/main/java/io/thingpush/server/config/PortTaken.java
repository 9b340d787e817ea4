package io.thingpush.server.config;

import java.net.BindException;

/** A port that cannot be listened on because it is taken: the error names the port and its option. */
public final class PortTaken {
  private PortTaken() {}

  /** Whether {@code e}, or one of its causes, is a port already in use. */
  public static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a failed listen of {@code option} ({@code ws.port}…) on {@code host}:{@code port}
   * becomes: a {@link ConfigException} naming the option when the port is taken, else {@code e}.
   */
  public static RuntimeException orElse(Throwable e, String option, String host, int port) {
    if (is(e)) {
      return new ConfigException(option + ": port " + port + " on " + host + " is already in use, by another "
          + "program or a ThingPush still running (set " + option + " or " + ConfigLoader.envName(option)
          + " to a free port, or 0 for any)");
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }
}
