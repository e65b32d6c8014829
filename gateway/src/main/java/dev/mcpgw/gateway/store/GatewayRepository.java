package dev.mcpgw.gateway.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.gateway.secret.SecretCipher;
import dev.mcpgw.gateway.secret.SecretKeyMismatchException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code gateways} table: registered upstreams. The columns that can hold credentials ({@code url},
 * {@code args_json}, {@code env_json}, {@code headers_json}) are stored encrypted with the database's
 * {@link SecretCipher}; rows written before encryption existed are read as they are and sealed by
 * {@link #sealPlaintextRows()} at start-up.
 */
public final class GatewayRepository {
  /** The columns stored encrypted, each with its own name as the associated data. */
  static final List<String> SECRET_COLUMNS = List.of("url", "args_json", "env_json", "headers_json");

  private final Database database;
  private final Jdbi jdbi;
  private final SecretCipher cipher;

  public GatewayRepository(Database database) {
    this.database = database;
    this.jdbi = database.jdbi();
    this.cipher = database.secrets();
  }

  public void insert(Handle h, StoredGateway g) {
    UpstreamSpec s = g.spec();
    h.createUpdate("""
            INSERT INTO gateways (id, name, transport, url, command, args_json, env_json, headers_json, init_json,
                                  created_at, refreshed_at, tenant_id, visibility, credentials)
            VALUES (:id, :name, :transport, :url, :command, :args, :env, :headers, :init, :created, :refreshed,
                    :tenant, :visibility, :credentials)""")
        .bind("id", g.id())
        .bind("name", s.name())
        .bind("transport", s.transport().wireName())
        .bind("url", cipher.encrypt(s.url(), "url"))
        .bind("command", s.command())
        .bind("args", cipher.encrypt(JsonText.write(s.args()), "args_json"))
        .bind("env", cipher.encrypt(JsonText.write(s.env()), "env_json"))
        .bind("headers", cipher.encrypt(JsonText.write(s.headers()), "headers_json"))
        .bind("init", g.initializeResult() == null ? null : JsonText.write(g.initializeResult()))
        .bind("created", g.createdAt().toEpochMilli())
        .bind("refreshed", g.refreshedAt() == null ? null : g.refreshedAt().toEpochMilli())
        .bind("tenant", g.ownership().tenantId())
        .bind("visibility", g.ownership().visibility().wireName())
        .bind("credentials", s.credentials().wireName())
        .execute();
    Ownerships.insertShares(h, OwnedKind.GATEWAY, g.id(), g.ownership());
  }

  /** Replaces how the upstream is reached (the demo upstream's port changes on every start). */
  public void updateSpec(Handle h, String id, UpstreamSpec s) {
    h.createUpdate("""
            UPDATE gateways SET transport = :transport, url = :url, command = :command, args_json = :args,
                                env_json = :env, headers_json = :headers WHERE id = :id""")
        .bind("id", id)
        .bind("transport", s.transport().wireName())
        .bind("url", cipher.encrypt(s.url(), "url"))
        .bind("command", s.command())
        .bind("args", cipher.encrypt(JsonText.write(s.args()), "args_json"))
        .bind("env", cipher.encrypt(JsonText.write(s.env()), "env_json"))
        .bind("headers", cipher.encrypt(JsonText.write(s.headers()), "headers_json"))
        .execute();
  }

  /** Records a successful discovery. */
  public void markRefreshed(Handle h, String id, ObjectNode initializeResult, Instant at) {
    h.createUpdate("UPDATE gateways SET init_json = :init, refreshed_at = :at WHERE id = :id")
        .bind("id", id)
        .bind("init", initializeResult == null ? null : JsonText.write(initializeResult))
        .bind("at", at.toEpochMilli())
        .execute();
  }

  public Optional<StoredGateway> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM gateways WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> map(rs, Ownerships.shares(h, OwnedKind.GATEWAY, id))).findOne());
  }

  public Optional<StoredGateway> findByName(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM gateways WHERE name = :name").bind("name", name)
        .map((rs, ctx) -> map(rs, Ownerships.shares(h, OwnedKind.GATEWAY, rs.getString("id")))).findOne());
  }

  /** Every upstream, ordered by name. */
  public List<StoredGateway> list() {
    return jdbi.withHandle(h -> {
      Map<String, Set<String>> shares = Ownerships.shares(h, OwnedKind.GATEWAY);
      return h.createQuery("SELECT * FROM gateways ORDER BY name")
          .map((rs, ctx) -> map(rs, shares.getOrDefault(rs.getString("id"), Set.of()))).list();
    });
  }

  /** Replaces the tenant and visibility of an upstream (the demo upstream is public to every tenant). */
  public void updateOwnership(Handle h, String id, Ownership o) {
    h.createUpdate("UPDATE gateways SET tenant_id = :t, visibility = :v WHERE id = :id")
        .bind("t", o.tenantId()).bind("v", o.visibility().wireName()).bind("id", id).execute();
    Ownerships.deleteShares(h, OwnedKind.GATEWAY, id);
    Ownerships.insertShares(h, OwnedKind.GATEWAY, id, o);
  }

  /** Deletes the upstream with its definitions and virtual-server memberships; false when it did not exist. */
  public boolean delete(String id) {
    return jdbi.inTransaction(h -> {
      Ownerships.deleteShares(h, OwnedKind.GATEWAY, id);
      return h.createUpdate("DELETE FROM gateways WHERE id = :id").bind("id", id).execute();
    }) > 0;
  }

  /**
   * Encrypts the secret columns of every row that still holds them in plaintext (written before encryption), and
   * checks that every encrypted one decrypts with the current key.
   *
   * @return how many rows were sealed
   * @throws InvalidSettingException naming the key's setting when a stored value does not decrypt with the key
   */
  public int sealPlaintextRows() {
    int sealed;
    try {
      sealed = sealRows();
    } catch (SecretKeyMismatchException e) {
      throw new InvalidSettingException(e.keySource(), e.getMessage() + "; allowed: the key the registry's upstream "
          + "secrets were encrypted with");
    }
    if (sealed > 0) {
      database.scrubOverwritten();
    }
    return sealed;
  }

  private int sealRows() {
    return jdbi.inTransaction(h -> {
      int sealed = 0;
      for (Map<String, Object> row : h.createQuery("SELECT id, url, args_json, env_json, headers_json FROM gateways")
          .mapToMap().list()) {
        boolean plaintext = false;
        for (String column : SECRET_COLUMNS) {
          String stored = (String) row.get(column);
          cipher.decrypt(stored, column);
          plaintext |= stored != null && !SecretCipher.isEncrypted(stored);
        }
        if (plaintext) {
          var update = h.createUpdate("UPDATE gateways SET url = :url, args_json = :args_json, env_json = :env_json, "
              + "headers_json = :headers_json WHERE id = :id").bind("id", row.get("id"));
          for (String column : SECRET_COLUMNS) {
            String stored = (String) row.get(column);
            update.bind(column, SecretCipher.isEncrypted(stored) ? stored : cipher.encrypt(stored, column));
          }
          update.execute();
          sealed++;
        }
      }
      return sealed;
    });
  }

  private StoredGateway map(ResultSet rs, Set<String> shares) throws SQLException {
    UpstreamSpec spec = new UpstreamSpec(
        rs.getString("name"),
        UpstreamSpec.Transport.fromWireName(rs.getString("transport")),
        cipher.decrypt(rs.getString("url"), "url"),
        rs.getString("command"),
        JsonText.stringList(cipher.decrypt(rs.getString("args_json"), "args_json")),
        JsonText.stringMap(cipher.decrypt(rs.getString("env_json"), "env_json")),
        JsonText.stringMap(cipher.decrypt(rs.getString("headers_json"), "headers_json")),
        UpstreamSpec.Credentials.fromWireName(rs.getString("credentials")));
    long refreshed = rs.getLong("refreshed_at");
    Instant refreshedAt = rs.wasNull() ? null : Instant.ofEpochMilli(refreshed);
    return new StoredGateway(rs.getString("id"), spec, JsonText.object(rs.getString("init_json")),
        Instant.ofEpochMilli(rs.getLong("created_at")), refreshedAt, Ownerships.read(rs, shares));
  }
}
