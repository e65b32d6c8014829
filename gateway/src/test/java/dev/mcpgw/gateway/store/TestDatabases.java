package dev.mcpgw.gateway.store;

import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Supplier;

/** Fresh, empty registry databases of either kind for tests. */
public final class TestDatabases {
  /** The databases every store test runs against. */
  public enum Kind { SQLITE, POSTGRESQL }

  private final Supplier<PostgresServer> postgres;

  TestDatabases(Supplier<PostgresServer> postgres) {
    this.postgres = postgres;
  }

  /** Settings for a new empty database: a SQLite file under {@code dir}, or a new database on the shared server. */
  public GatewaySettings.Database create(Kind kind, Path dir) {
    if (kind == Kind.SQLITE) {
      return new GatewaySettings.Database("jdbc:sqlite:" + dir.resolve("reg-" + UUID.randomUUID() + ".db"), null, null, 4);
    }
    try {
      return new GatewaySettings.Database(postgres.get().createDatabase(), "postgres", null, 4);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a PostgreSQL test database", e);
    }
  }
}
