package dev.mcpgw.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.gateway.secret.OwnerOnly;
import dev.mcpgw.gateway.secret.SecretCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;

/** The open registry database: pool, schema (migrated on open) and Jdbi. Close it to release every connection. */
public final class Database implements AutoCloseable {
  /**
   * The page size of a SQLite database this class creates (an existing file keeps its own). Larger than SQLite's
   * 4 KiB because most of the file is the span store's trace chunks, about 2.5 KiB each: a 4 KiB page held one and
   * left a third empty, so every stored call wrote a whole page, twice (the log, then the checkpoint). A 16 KiB page
   * holds six (ADR 0032).
   */
  static final int SQLITE_PAGE_SIZE = 16384;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final Jdbi untraced;
  private final boolean sqlite;
  private final SecretCipher secrets;
  private volatile StatementObserver statements = StatementObserver.NONE;

  private Database(HikariDataSource dataSource, DataSource queries, boolean sqlite, SecretCipher secrets) {
    this.dataSource = dataSource;
    this.sqlite = sqlite;
    this.secrets = secrets;
    this.jdbi = Jdbi.create(queries);
    this.untraced = Jdbi.create(dataSource);
  }

  /**
   * Opens the pool and migrates the schema to the newest version, encrypting secret columns with a key that lives as
   * long as this process ({@link SecretCipher#processKey()}): for tools and tests; the gateway gives its own key.
   *
   * @throws InvalidSettingException naming {@code MCPGW_DATABASE_URL} when the database cannot be reached or migrated
   */
  public static Database open(GatewaySettings.Database settings) {
    return open(settings, UnaryOperator.identity());
  }

  /** The same, with the registry's queries running through {@code observe}d connections. */
  public static Database open(GatewaySettings.Database settings, UnaryOperator<DataSource> observe) {
    return open(settings, observe, SecretCipher.processKey());
  }

  /**
   * Opens the pool and migrates the schema, with the registry's queries running through {@code observe}d connections
   * (the JDBC CLIENT spans) and {@code secrets} encrypting the secret columns. The schema migration and the readiness
   * probe use the pool directly: neither belongs to a request's trace. A SQLite file is created with mode 0600 (its
   * directory 0700 when created) before SQLite opens it, so that its {@code -wal} and {@code -shm} files get 0600 too.
   */
  public static Database open(GatewaySettings.Database settings, UnaryOperator<DataSource> observe,
      SecretCipher secrets) {
    boolean sqlite = settings.isSqlite();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    config.setPoolName("mcpgw-db");
    if (settings.user() != null) {
      config.setUsername(settings.user());
    }
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
    config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    // the pool must not stall start-up forever when the database is down: fail within the connection timeout
    config.setInitializationFailTimeout(Duration.ofSeconds(10).toMillis());
    if (sqlite) {
      Path created = createOwnerOnlyFile(settings.url());
      if (created != null) {
        setPageSize(settings.url(), created);
      }
      // WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock up front, so two
      // writers queue on busy_timeout instead of failing with SQLITE_BUSY when a read lock is upgraded.
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("busy_timeout", "10000");
      config.addDataSourceProperty("foreign_keys", "true");
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      config.addDataSourceProperty("synchronous", "NORMAL");
      // deleted and overwritten content is zeroed, so no old value (a plaintext secret) lingers in free pages
      config.addDataSourceProperty("secure_delete", "true");
      config.setMaximumPoolSize(Math.min(settings.poolSize(), 4));
    } else {
      config.setMaximumPoolSize(settings.poolSize());
    }
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new InvalidSettingException("MCPGW_DATABASE_URL",
          "cannot connect to " + settings.url() + ": " + rootMessage(e) + "; allowed: a reachable jdbc:sqlite: or jdbc:postgresql: database");
    }
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (FlywayException e) {
      ds.close();
      throw new InvalidSettingException("MCPGW_DATABASE_URL", "cannot migrate the schema of " + settings.url() + ": "
          + rootMessage(e));
    }
    return new Database(ds, observe.apply(ds), sqlite, java.util.Objects.requireNonNull(secrets, "secrets"));
  }

  /**
   * Gives a new, empty SQLite file {@link #SQLITE_PAGE_SIZE}: a page size holds only when set before the first table,
   * and outside WAL mode (the pool's connections turn WAL on as they open, before any pragma of their own).
   */
  private static void setPageSize(String url, Path file) {
    try {
      if (Files.size(file) > 0) {
        return;
      }
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("PRAGMA page_size = " + SQLITE_PAGE_SIZE);
        s.execute("VACUUM"); // writes the header of the empty database, with that page size
      }
    } catch (IOException | SQLException e) {
      throw new InvalidSettingException("MCPGW_DATABASE_URL", "cannot create the database " + file + ": "
          + rootMessage(e));
    }
  }

  /** Creates the SQLite file with mode 0600 when absent; returns it, or null when the URL names no plain file. */
  private static Path createOwnerOnlyFile(String url) {
    String file = url.substring("jdbc:sqlite:".length());
    int q = file.indexOf('?');
    if (q >= 0) {
      file = file.substring(0, q);
    }
    if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
      return null;
    }
    Path path = Path.of(file).toAbsolutePath();
    Path parent = path.getParent();
    try {
      OwnerOnly.directories(parent);
    } catch (IOException e) {
      throw new InvalidSettingException("MCPGW_DATABASE_URL", "cannot create directory " + parent + ": " + e.getMessage());
    }
    try {
      OwnerOnly.file(path);
      for (String suffix : new String[] {"-wal", "-shm"}) {
        Path companion = Path.of(path + suffix);
        if (Files.exists(companion)) {
          OwnerOnly.file(companion);
        }
      }
    } catch (IOException e) {
      throw new InvalidSettingException("MCPGW_DATABASE_URL", "cannot make " + path + " readable by its owner only: "
          + e.getMessage());
    }
    return path;
  }

  /**
   * Makes sure nothing overwritten lingers in the files: on SQLite, moves the write-ahead log into the database file
   * and truncates it (the overwritten content itself is zeroed by {@code secure_delete}). Nothing to do on PostgreSQL.
   */
  public void scrubOverwritten() {
    if (sqlite) {
      jdbi.useHandle(h -> h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)").mapToMap().list());
    }
  }

  /** The cipher of the registry's secret columns. */
  public SecretCipher secrets() {
    return secrets;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Jdbi over the pool itself, without JDBC spans: for the span store, whose writes and reads must not make spans of
   * their own (each write would be traced and stored in turn).
   */
  public Jdbi untracedJdbi() {
    return untraced;
  }

  /** {@code sqlite} or {@code postgresql}: the {@code db.system.name} of the database conventions. */
  public String systemName() {
    return sqlite ? "sqlite" : "postgresql";
  }

  /**
   * Has {@code statements} told of every statement run through {@link #jdbi()} and {@link #untracedJdbi()}, so the
   * registry's, the span store's and usage's alike (the {@code db.client.operation.duration} metric). Call it once,
   * before the database is used.
   */
  public void observeStatements(StatementObserver statements) {
    this.statements = java.util.Objects.requireNonNull(statements, "statements");
    jdbi.setSqlLogger(statements);
    untraced.setSqlLogger(statements);
  }

  /** What to tell of statements run over plain JDBC ({@link StatementObserver#NONE} unless observed). */
  public StatementObserver statements() {
    return statements;
  }

  public boolean isSqlite() {
    return sqlite;
  }

  /** Whether the database answers a trivial query within two seconds (for {@code /ready}). */
  public boolean isReachable() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
