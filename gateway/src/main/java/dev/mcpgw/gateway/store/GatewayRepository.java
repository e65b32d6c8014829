package dev.mcpgw.gateway.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.transport.upstream.UpstreamSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code gateways} table: registered upstreams. */
public final class GatewayRepository {
  private final Jdbi jdbi;

  public GatewayRepository(Database database) {
    this.jdbi = database.jdbi();
  }

  public void insert(Handle h, StoredGateway g) {
    UpstreamSpec s = g.spec();
    h.createUpdate("""
            INSERT INTO gateways (id, name, transport, url, command, args_json, env_json, headers_json, init_json,
                                  created_at, refreshed_at, tenant_id, visibility)
            VALUES (:id, :name, :transport, :url, :command, :args, :env, :headers, :init, :created, :refreshed,
                    :tenant, :visibility)""")
        .bind("id", g.id())
        .bind("name", s.name())
        .bind("transport", s.transport().wireName())
        .bind("url", s.url())
        .bind("command", s.command())
        .bind("args", JsonText.write(s.args()))
        .bind("env", JsonText.write(s.env()))
        .bind("headers", JsonText.write(s.headers()))
        .bind("init", g.initializeResult() == null ? null : JsonText.write(g.initializeResult()))
        .bind("created", g.createdAt().toEpochMilli())
        .bind("refreshed", g.refreshedAt() == null ? null : g.refreshedAt().toEpochMilli())
        .bind("tenant", g.ownership().tenantId())
        .bind("visibility", g.ownership().visibility().wireName())
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
        .bind("url", s.url())
        .bind("command", s.command())
        .bind("args", JsonText.write(s.args()))
        .bind("env", JsonText.write(s.env()))
        .bind("headers", JsonText.write(s.headers()))
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

  private static StoredGateway map(ResultSet rs, Set<String> shares) throws SQLException {
    UpstreamSpec spec = new UpstreamSpec(
        rs.getString("name"),
        UpstreamSpec.Transport.fromWireName(rs.getString("transport")),
        rs.getString("url"),
        rs.getString("command"),
        JsonText.stringList(rs.getString("args_json")),
        JsonText.stringMap(rs.getString("env_json")),
        JsonText.stringMap(rs.getString("headers_json")));
    long refreshed = rs.getLong("refreshed_at");
    Instant refreshedAt = rs.wasNull() ? null : Instant.ofEpochMilli(refreshed);
    return new StoredGateway(rs.getString("id"), spec, JsonText.object(rs.getString("init_json")),
        Instant.ofEpochMilli(rs.getLong("created_at")), refreshedAt, Ownerships.read(rs, shares));
  }
}
