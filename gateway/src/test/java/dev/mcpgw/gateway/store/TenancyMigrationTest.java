package dev.mcpgw.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.mcpgw.gateway.auth.Tenancy;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V2__tenancy on a registry written by V1 (a database of the release before tenancy, with rows): every row moves into
 * tenant {@code default}, private; local keys become unique per tenant. On SQLite and on PostgreSQL.
 */
@ExtendWith(PostgresExtension.class)
class TenancyMigrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aV1RegistryWithRowsMigratesIntoTheDefaultTenantPrivate(TestDatabases.Kind kind, TestDatabases dbs)
      throws Exception {
    GatewaySettings.Database settings = dbs.create(kind, tmp);
    writeAV1Registry(settings);

    try (Database db = Database.open(settings)) {
      Ownership migrated = new Ownership(Tenancy.DEFAULT_TENANT, Visibility.PRIVATE, Set.of());
      assertThat(new GatewayRepository(db).find("g1")).hasValueSatisfying(g -> {
        assertThat(g.name()).isEqualTo("legacy");
        assertThat(g.ownership()).isEqualTo(migrated);
      });
      ItemRepository items = new ItemRepository(db);
      assertThat(items.find(ItemKind.PROMPT, "p1")).hasValueSatisfying(p -> {
        assertThat(p.body()).isEqualTo("Hello {{ who }}");
        assertThat(p.ownership()).isEqualTo(migrated);
      });
      assertThat(items.find(ItemKind.RESOURCE, "r1")).hasValueSatisfying(r -> assertThat(r.ownership()).isEqualTo(migrated));
      assertThat(items.find(ItemKind.TOOL, "t1")).hasValueSatisfying(t -> assertThat(t.gatewayId()).isEqualTo("g1"));
      assertThat(new ServerRepository(db).find("s1")).hasValueSatisfying(s -> {
        assertThat(s.ownership()).isEqualTo(migrated);
        assertThat(s.gateways()).containsExactly("g1");
        assertThat(s.prompts()).containsExactly("p1");
      });

      // local prompt names are unique per tenant now: another tenant may use the name, the same tenant may not
      ObjectNode def = (ObjectNode) JSON.readTree("{\"name\":\"greet\"}");
      StoredItem other = items.insertLocal(ItemKind.PROMPT, "greet", def, "Hi", Instant.now(), Ownership.privateTo("acme"));
      assertThat(items.findLocal(ItemKind.PROMPT, "acme", "greet")).map(StoredItem::id).contains(other.id());
      assertThat(items.findLocal(ItemKind.PROMPT, Tenancy.DEFAULT_TENANT, "greet")).map(StoredItem::id).contains("p1");
      assertThatThrownBy(() -> items.insertLocal(ItemKind.PROMPT, "greet", def, "Hi again", Instant.now(),
          Ownership.privateTo("acme"))).isInstanceOf(RuntimeException.class);

      // shares are stored and read back with the entity
      assertThat(new Ownerships(db).changeVisibility(OwnedKind.PROMPT, "p1", Visibility.SHARED, Set.of("acme", "zeta")))
          .isTrue();
      assertThat(items.find(ItemKind.PROMPT, "p1").orElseThrow().ownership().sharedWith()).containsOnly("acme", "zeta");
    }
  }

  /** Migrates a fresh database to V1 only and writes rows as the release before tenancy did. */
  private static void writeAV1Registry(GatewaySettings.Database settings) {
    try (HikariDataSource ds = new HikariDataSource()) {
      ds.setJdbcUrl(settings.url());
      if (settings.user() != null) {
        ds.setUsername(settings.user());
      }
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("1").load().migrate();
      Jdbi.create(ds).useHandle(h -> {
        h.execute("INSERT INTO gateways (id, name, transport, url, command, args_json, env_json, headers_json, created_at)"
            + " VALUES ('g1', 'legacy', 'streamablehttp', 'http://127.0.0.1:9/mcp', NULL, '[]', '{}', '{}', 1)");
        h.execute("INSERT INTO tools (id, gateway_id, item_key, definition, created_at)"
            + " VALUES ('t1', 'g1', 'echo', '{\"name\":\"echo\"}', 1)");
        h.execute("INSERT INTO prompts (id, gateway_id, item_key, definition, body, created_at)"
            + " VALUES ('p1', NULL, 'greet', '{\"name\":\"greet\"}', 'Hello {{ who }}', 1)");
        h.execute("INSERT INTO resources (id, gateway_id, item_key, definition, body, created_at)"
            + " VALUES ('r1', NULL, 'docs://guide', '{\"uri\":\"docs://guide\"}', 'text', 1)");
        h.execute("INSERT INTO servers (id, name, description, created_at) VALUES ('s1', 'curated', NULL, 1)");
        h.execute("INSERT INTO server_gateways (server_id, member_id) VALUES ('s1', 'g1')");
        h.execute("INSERT INTO server_prompts (server_id, member_id) VALUES ('s1', 'p1')");
      });
    }
  }
}
