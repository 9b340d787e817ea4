package io.thingpush.server.registry;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Where an embedded H2 URL keeps its files, so that the directory can be made beforehand, and
 * whether a connection failed because another process has them open.
 */
final class H2Files {
  private static final String PREFIX = "jdbc:h2:";

  /** H2's "Database may be already in use" (its file lock is held by another process). */
  private static final int DATABASE_ALREADY_OPEN = 90020;

  private H2Files() {}

  /**
   * The directory of a file database ({@code jdbc:h2:file:./data/thingpush;…} or the short
   * {@code jdbc:h2:./data/thingpush}); empty for in-memory, server and non-H2 URLs, and for a
   * database in the working directory.
   */
  static Optional<Path> directoryOf(String jdbcUrl) {
    if (!jdbcUrl.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String location = jdbcUrl.substring(PREFIX.length());
    int settings = location.indexOf(';');
    if (settings >= 0) {
      location = location.substring(0, settings);
    }
    if (location.startsWith("file:")) {
      location = location.substring("file:".length());
    } else if (location.matches("^[a-z]{2,}:.*")) {
      return Optional.empty(); // mem:, tcp:, ssl:, zip:, … (a one-letter prefix is a drive)
    }
    if (location.startsWith("~")) {
      location = System.getProperty("user.home") + location.substring(1);
    }
    return Optional.ofNullable(Path.of(location).getParent());
  }

  /** Whether {@code failure} (or a cause) is H2 refusing a file database another process holds open. */
  static boolean inUseByAnotherProcess(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == DATABASE_ALREADY_OPEN) {
        return true;
      }
    }
    return false;
  }
}
