package io.thingpush.server.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A configuration that cannot be used; the message names the option. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  /** A file named by {@code option} that cannot be read, saying why in words. */
  public static ConfigException cannotRead(String option, Path file, IOException e) {
    String why =
        e instanceof NoSuchFileException
            ? "no such file"
            : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
    return new ConfigException(option + ": cannot read " + file + ": " + why);
  }
}
