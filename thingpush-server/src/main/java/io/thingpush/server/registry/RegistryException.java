package io.thingpush.server.registry;

/**
 * The registry's database failed (cannot connect, migrate, read or write). The message ends with
 * what the database, its driver or the network said, so that the one line an operator sees
 * says why.
 */
public final class RegistryException extends RuntimeException {
  public RegistryException(String message, Throwable cause) {
    super(message + ": " + why(cause), cause);
  }

  /** The first line of the innermost message in the cause chain (the driver's or the socket's). */
  private static String why(Throwable cause) {
    String why = null;
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        why = t.getMessage();
      } else if (why == null) {
        why = t.getClass().getSimpleName();
      }
    }
    return why == null ? "unknown cause" : why.strip().lines().findFirst().orElse(why);
  }
}
