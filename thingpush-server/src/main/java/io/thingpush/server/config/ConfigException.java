package io.thingpush.server.config;

/** A configuration that cannot be used; the message names the option. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
