package dev.mcpgw.gateway.spanstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.PostgresExtension;
import dev.mcpgw.gateway.store.TestDatabases;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V6 on a database written by the release before it: the spans stored one per row are dropped (documented in
 * docs/observability-console.md and ADR 0027), the registry's rows stay. On SQLite and on PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class SpanChunksMigrationTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void upgradingDropsTheSpansStoredPerRowAndKeepsTheRegistry(TestDatabases.Kind kind, TestDatabases dbs) {
    GatewaySettings.Database settings = dbs.create(kind, tmp);
    try (HikariDataSource ds = new HikariDataSource()) {
      ds.setJdbcUrl(settings.url());
      if (settings.user() != null) {
        ds.setUsername(settings.user());
        ds.setPassword(settings.password());
      }
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("1").load().migrate();
      Jdbi.create(ds).useHandle(h -> h.execute("INSERT INTO gateways (id, name, transport, url, command, args_json,"
          + " env_json, headers_json, created_at) VALUES ('g1', 'legacy', 'streamablehttp', 'http://127.0.0.1:9/mcp',"
          + " NULL, '[]', '{}', '{}', 1)"));
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("5").load().migrate();
      Jdbi.create(ds).useHandle(h -> h.execute("INSERT INTO spans (trace_id, span_id, name, kind, start_ns,"
          + " duration_ns, status, attributes, events) VALUES ('" + "a".repeat(32) + "', '" + "b".repeat(16)
          + "', 'POST /mcp', 'SERVER', 1, 1, 'ok', '{}', '[]')"));
    }

    try (Database db = Database.open(settings)) {
      Jdbi jdbi = db.untracedJdbi();
      String gateway = jdbi.withHandle(h -> h.createQuery("SELECT name FROM gateways WHERE id = 'g1'")
          .mapTo(String.class).one());
      int lines = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM span_traces").mapTo(Integer.class).one());
      int chunks = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM span_chunks").mapTo(Integer.class).one());
      assertThat(gateway).isEqualTo("legacy");
      assertThat(lines).isZero();
      assertThat(chunks).isZero();
      assertThatThrownBy(() -> jdbi.useHandle(h -> h.createQuery("SELECT COUNT(*) FROM spans").mapTo(Integer.class)
          .one())).hasMessageContaining("spans");
    }
  }
}
