package io.thingpush.server.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.thingpush.core.directory.Device;
import io.thingpush.core.directory.DeviceTable;
import io.thingpush.core.directory.Directory;
import io.thingpush.protocol.ErrorCode;
import io.thingpush.protocol.ThingPushException;
import io.thingpush.server.config.ThingPushConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
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
  // Imports of one node run one at a time: each validates against what the previous wrote
  // (across nodes, the tenant row locks see to it).
  private final ReentrantLock importLock = new ReentrantLock();

  private Registry(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Opens the registry database of the config; see {@link #open(String, String, String, int, Duration)}. */
  public static Registry open(ThingPushConfig.Registry config) {
    return open(
        config.jdbcUrl(),
        config.username(),
        config.password(),
        config.poolSize(),
        Duration.ofMillis(config.connectTimeoutMs()));
  }

  /**
   * Opens the pool and brings the schema up to date. For an H2 file URL the database's directory
   * is created when missing. Opening a connection (TCP connect and login) and waiting for one of
   * the pool each take at most {@code connectTimeout}: a database that accepts connections and
   * never answers fails the open, it does not hang it.
   *
   * @throws RegistryException when the database cannot be reached or migrated
   */
  public static Registry open(
      String jdbcUrl, String username, String password, int poolSize, Duration connectTimeout) {
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, not " + poolSize);
    }
    createDatabaseDirectory(jdbcUrl);
    HikariDataSource dataSource;
    try {
      dataSource =
          new HikariDataSource(
              pool("registry", jdbcUrl, username, password, poolSize, connectTimeout));
    } catch (RuntimeException e) {
      if (H2Files.inUseByAnotherProcess(e)) {
        throw new RegistryException(
            "the registry database "
                + jdbcUrl
                + " is in use by another process, most "
                + "likely a running ThingPush server: the embedded H2 database opens in one process at a time. Stop "
                + "that server first, or go through it (GET /api/v1/admin/export, POST /api/v1/admin/import, "
                + "docs/admin-api.md); on PostgreSQL both can run at once",
            e);
      }
      throw new RegistryException(
          "cannot connect to the registry database " + jdbcUrl + " (registry.jdbcUrl)", e);
    }
    // Flyway gets connections of its own: it holds two at once, which a pool of one would never
    // hand out. The pool opened first keeps an in-memory H2 database alive meanwhile.
    try (HikariDataSource migrations =
        new HikariDataSource(
            pool("registry-migrations", jdbcUrl, username, password, 2, connectTimeout))) {
      Flyway.configure().dataSource(migrations).locations(MIGRATIONS).load().migrate();
    } catch (FlywayException | HikariPool.PoolInitializationException e) {
      dataSource.close();
      throw new RegistryException("cannot migrate the registry database " + jdbcUrl, e);
    }
    return new Registry(dataSource);
  }

  private static HikariConfig pool(
      String name,
      String jdbcUrl,
      String username,
      String password,
      int size,
      Duration connectTimeout) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(username);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      // The driver's own bounds, in whole seconds: without them a server that accepts the TCP
      // connection and never answers holds the login for as long as the socket lives.
      String seconds = Long.toString(Math.max(1, (connectTimeout.toMillis() + 999) / 1000));
      config.addDataSourceProperty("connectTimeout", seconds);
      config.addDataSourceProperty("loginTimeout", seconds);
    }
    return config;
  }

  /**
   * Reads the whole registry in one transaction (a consistent snapshot).
   *
   * @throws RegistryException when the database fails
   */
  public Directory load() {
    return snapshot(RegistryReader::read);
  }

  /** The whole registry but the devices, around {@code devices} (see {@link io.thingpush.core.cluster.RegistryChange}). */
  Directory loadAround(DeviceTable devices) {
    return snapshot(reader -> reader.readAround(devices));
  }

  /** The current row of one device, or null when there is none. */
  Device loadDevice(String productId, String deviceName) {
    return snapshot(reader -> reader.device(productId, deviceName));
  }

  private interface Read<T> {
    T run(RegistryReader reader) throws SQLException;
  }

  /** One consistent read of the registry. */
  private <T> T snapshot(Read<T> read) {
    try (Connection connection = dataSource.getConnection()) {
      beginSnapshot(connection);
      try {
        T result = read.run(new RegistryReader(connection));
        connection.commit();
        return result;
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
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try {
        // Every tenant's row lock, in one order: no admin write of any node runs meanwhile, and
        // the read below sees all that were committed before.
        try (var lock =
                connection.prepareStatement("SELECT code FROM tenant ORDER BY code FOR UPDATE");
            var rows = lock.executeQuery()) {
          while (rows.next()) {
            // holding the locks is the point
          }
        }
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

  /**
   * Writes the registry (or only {@code tenant}'s part of it; null: all) in the import format:
   * importing it changes nothing, and exporting again gives the same bytes.
   *
   * @throws RegistryException when the database fails
   * @throws UncheckedIOException when {@code out} fails
   */
  public void export(String tenant, Writer out) {
    Directory directory = load();
    try {
      RegistryExport.write(directory, tenant, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export", e);
    }
  }

  /** Work on one connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs read-only {@code work} in one transaction.
   *
   * @throws RegistryException when the database fails
   */
  public <T> T read(Work<T> work) {
    return transaction(null, false, work);
  }

  /**
   * Runs {@code work} in one transaction holding the row lock of {@code tenant} (null: none),
   * so that the writes to one tenant happen one at a time on every node; each statement sees
   * what was committed before it. All or nothing: a refusal or failure rolls everything back.
   *
   * @throws ThingPushException 100009 when {@code tenant} does not exist, or the work's refusal
   * @throws RegistryConflict when a concurrent write got there first (a key or reference broke)
   * @throws RegistryException when the database fails
   */
  public <T> T write(String tenant, Work<T> work) {
    return transaction(tenant, true, work);
  }

  private <T> T transaction(String tenant, boolean write, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      // A read sees one state (a page and its total agree); a write, once it holds its tenant's
      // lock, must see every write committed before it, which a snapshot taken earlier would not.
      connection.setTransactionIsolation(
          write ? Connection.TRANSACTION_READ_COMMITTED : Connection.TRANSACTION_REPEATABLE_READ);
      try {
        if (tenant != null
            && !Sql.exists(
                connection, "SELECT code FROM tenant WHERE code = ? FOR UPDATE", tenant)) {
          throw new ThingPushException(ErrorCode.NOT_FOUND, "tenant " + tenant);
        }
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      if (write && e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        throw new RegistryConflict("a concurrent change got there first, try again");
      }
      throw new RegistryException(
          write ? "registry write failed, nothing was written" : "cannot read the registry", e);
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
