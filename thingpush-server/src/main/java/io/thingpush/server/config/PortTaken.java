package io.thingpush.server.config;

import io.netty.channel.unix.Errors;
import java.net.BindException;

/** A port that cannot be listened on because it is taken: the error names the port and its option. */
public final class PortTaken {
  /**
   * The native epoll transport's bind failure: {@code -EADDRINUSE}, 98 on Linux, the only system
   * that transport runs on (NIO throws a {@link BindException}).
   */
  private static final int EADDRINUSE_NEGATIVE = -98;

  private PortTaken() {}

  /** Whether {@code e}, or one of its causes, is a port already in use. */
  public static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || t instanceof Errors.NativeIoException n && n.expectedErr() == EADDRINUSE_NEGATIVE) {
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
      return new ConfigException(
          option
              + ": port "
              + port
              + " on "
              + host
              + " is already in use, by another "
              + "program or a ThingPush still running (set "
              + option
              + " or "
              + ConfigLoader.envName(option)
              + " to a free port, or 0 for any)");
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }
}
