package io.thingpush.server.registry;

/** The registry's database failed (cannot connect, migrate, read or write). */
public final class RegistryException extends RuntimeException {
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
