package dev.mcpgw.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.secret.SecretKeyMismatchException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-user credential vault's table against a real SQLite file and a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class UpstreamCredentialRepositoryTest {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @TempDir Path tmp;

  private static StoredGateway perUser(String name) {
    return new StoredGateway(UUID.randomUUID().toString(), new UpstreamSpec(name,
        UpstreamSpec.Transport.STREAMABLE_HTTP, "http://127.0.0.1:1/mcp", null, List.of(), Map.of(), Map.of(),
        UpstreamSpec.Credentials.PER_USER), null, NOW, null);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void storesReplacesAndDeletesOneUsersHeadersPerUpstreamEncryptedAndKeyedByTenantUserAndUpstream(
      TestDatabases.Kind kind, TestDatabases dbs) {
    try (Database db = Database.open(dbs.create(kind, tmp))) {
      GatewayRepository gateways = new GatewayRepository(db);
      UpstreamCredentialRepository vault = new UpstreamCredentialRepository(db);
      StoredGateway g = perUser("gh");
      db.jdbi().useTransaction(h -> gateways.insert(h, g));
      assertThat(gateways.find(g.id()).orElseThrow().spec().perUser()).isTrue();

      vault.put("acme", "alice", g.id(), Map.of("Authorization", "Bearer a1"), NOW);
      vault.put("acme", "alice", g.id(), Map.of("Authorization", "Bearer a2"), NOW.plusSeconds(1));
      vault.put("globex", "alice", g.id(), Map.of("Authorization", "Bearer g"), NOW);

      assertThat(vault.find("acme", "alice", g.id())).hasValueSatisfying(c -> {
        assertThat(c.headers()).containsExactly(Map.entry("Authorization", "Bearer a2"));
        assertThat(c.updatedAt()).isEqualTo(NOW.plusSeconds(1));
        assertThat(c.toString()).doesNotContain("a2");
      });
      assertThat(vault.find("globex", "alice", g.id()).orElseThrow().headers()).containsValue("Bearer g");
      assertThat(vault.find("acme", "bob", g.id())).isEmpty();
      List<String> stored = db.jdbi().withHandle(h -> h.createQuery("SELECT headers_json FROM upstream_credentials")
          .mapTo(String.class).list());
      assertThat(stored).hasSize(2).allSatisfy(v -> assertThat(v).startsWith("enc:v1:").doesNotContain("Bearer"));

      assertThat(vault.delete("acme", "alice", g.id())).isTrue();
      assertThat(vault.delete("acme", "alice", g.id())).isFalse();
      assertThat(vault.find("acme", "alice", g.id())).isEmpty();
      assertThat(vault.find("globex", "alice", g.id())).isPresent();

      gateways.delete(g.id());
      int left = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM upstream_credentials")
          .mapTo(Integer.class).one());
      assertThat(left).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aValueCopiedIntoAnotherUsersRowDoesNotDecrypt(TestDatabases.Kind kind, TestDatabases dbs) {
    try (Database db = Database.open(dbs.create(kind, tmp))) {
      GatewayRepository gateways = new GatewayRepository(db);
      UpstreamCredentialRepository vault = new UpstreamCredentialRepository(db);
      StoredGateway g = perUser("gh");
      db.jdbi().useTransaction(h -> gateways.insert(h, g));
      vault.put("acme", "alice", g.id(), Map.of("Authorization", "Bearer alice"), NOW);
      vault.put("acme", "mallory", g.id(), Map.of("Authorization", "Bearer mallory"), NOW);
      // someone with write access to the database, not the key, copies alice's sealed value into their own row
      db.jdbi().useHandle(h -> h.createUpdate("""
              UPDATE upstream_credentials SET headers_json =
                (SELECT headers_json FROM upstream_credentials WHERE user_id = 'alice') WHERE user_id = 'mallory'""")
          .execute());
      assertThatThrownBy(() -> vault.find("acme", "mallory", g.id())).isInstanceOf(SecretKeyMismatchException.class)
          .hasMessageNotContaining("Bearer");
    }
  }
}
