package io.thingpush.server.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.thingpush.core.directory.Directory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in its SQL database (H2 embedded by default, PostgreSQL in production): a
 * connection pool, the schema migrated by Flyway on open, {@link #load()} of the whole registry
 * into a {@link Directory}, and the all-or-nothing import of a JSON file (docs/registry.md).
 */
public final class Registry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
  private static final String MIGRATIONS = "classpath:db/migration";

  private final HikariDataSource dataSource;
  // Imports of one node run one at a time: each validates against what the previous wrote.
  private final ReentrantLock importLock = new ReentrantLock();

  private Registry(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Opens the pool and brings the schema up to date. For an H2 file URL the database's directory
   * is created when missing.
   *
   * @throws RegistryException when the database cannot be reached or migrated
   */
  public static Registry open(String jdbcUrl, String username, String password, int poolSize) {
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, not " + poolSize);
    }
    createDatabaseDirectory(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("registry");
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(username);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new RegistryException("cannot connect to the registry database " + jdbcUrl, e);
    }
    try {
      // Flyway gets connections of its own: it holds two at once, which a pool of one would
      // never hand out. The pool opened first keeps an in-memory H2 database alive meanwhile.
      Flyway.configure()
          .dataSource(jdbcUrl, username, password)
          .locations(MIGRATIONS)
          .load()
          .migrate();
    } catch (FlywayException e) {
      dataSource.close();
      throw new RegistryException("cannot migrate the registry database " + jdbcUrl, e);
    }
    return new Registry(dataSource);
  }

  /**
   * Reads the whole registry in one transaction (a consistent snapshot).
   *
   * @throws RegistryException when the database fails
   */
  public Directory load() {
    try (Connection connection = dataSource.getConnection()) {
      beginSnapshot(connection);
      try {
        Directory directory = new RegistryReader(connection).read();
        connection.commit();
        return directory;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new RegistryException("cannot read the registry", e);
    }
  }

  /**
   * Imports a JSON file; see {@link #importJson(InputStream)}.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public void importFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      importJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the import file " + file, e);
    }
  }

  /**
   * Imports a registry file in one transaction: every entity in it is created or updated, nothing
   * is deleted, and importing the same file twice changes nothing.
   *
   * @throws RegistryImportException when the file is invalid; nothing is written
   * @throws RegistryException when the database fails; nothing is written
   * @throws UncheckedIOException when the stream cannot be read
   */
  public void importJson(InputStream json) {
    RegistryFile file;
    try {
      file = RegistryFileParser.parse(json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the import file", e);
    }
    importLock.lock();
    try (Connection connection = dataSource.getConnection()) {
      beginSnapshot(connection);
      try {
        Directory existing = new RegistryReader(connection).read();
        ImportValidator.check(file, existing);
        RegistryWriter.Counts counts = new RegistryWriter(connection).write(file, existing);
        connection.commit();
        LOG.info("registry import: {}", counts);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new RegistryException("registry import failed, nothing was written", e);
    } finally {
      importLock.unlock();
    }
  }

  /** The pool, for the other stores of the same database (admin API). */
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** Reads and writes of one call see one state of the database, untouched by other writers. */
  private static void beginSnapshot(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
  }

  private static void createDatabaseDirectory(String jdbcUrl) {
    H2Files.directoryOf(jdbcUrl)
        .ifPresent(
            directory -> {
              try {
                Files.createDirectories(directory);
              } catch (IOException e) {
                throw new UncheckedIOException(
                    "cannot create the registry directory " + directory, e);
              }
            });
  }
}
