package dev.mcpgw.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code servers} table and its membership tables. */
public final class ServerRepository {
  private static final String[] MEMBER_TABLES = {"server_gateways", "server_tools", "server_resources", "server_prompts"};

  private final Jdbi jdbi;

  public ServerRepository(Database database) {
    this.jdbi = database.jdbi();
  }

  /** Stores the server and its members in one transaction; the caller has checked that every member exists. */
  public void insert(VirtualServer s) {
    jdbi.useTransaction(h -> {
      h.createUpdate("INSERT INTO servers (id, name, description, created_at, tenant_id, visibility)"
              + " VALUES (:id, :name, :d, :c, :t, :v)")
          .bind("id", s.id()).bind("name", s.name()).bind("d", s.description()).bind("c", s.createdAt().toEpochMilli())
          .bind("t", s.ownership().tenantId()).bind("v", s.ownership().visibility().wireName())
          .execute();
      Ownerships.insertShares(h, OwnedKind.SERVER, s.id(), s.ownership());
      List<List<String>> members = List.of(s.gateways(), s.tools(), s.resources(), s.prompts());
      for (int i = 0; i < MEMBER_TABLES.length; i++) {
        for (String member : members.get(i)) {
          h.createUpdate("INSERT INTO " + MEMBER_TABLES[i] + " (server_id, member_id) VALUES (:s, :m)")
              .bind("s", s.id()).bind("m", member).execute();
        }
      }
    });
  }

  public Optional<VirtualServer> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM servers WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> row(rs))
        .findOne()
        .map(r -> withMembers(h, r)));
  }

  public Optional<VirtualServer> findByName(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM servers WHERE name = :n").bind("n", name)
        .mapTo(String.class).findOne()).flatMap(this::find);
  }

  /** Every server, ordered by name. */
  public List<VirtualServer> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM servers ORDER BY name")
        .map((rs, ctx) -> row(rs))
        .list()
        .stream()
        .map(r -> withMembers(h, r))
        .toList());
  }

  public boolean delete(String id) {
    return jdbi.inTransaction(h -> {
      Ownerships.deleteShares(h, OwnedKind.SERVER, id);
      return h.createUpdate("DELETE FROM servers WHERE id = :id").bind("id", id).execute();
    }) > 0;
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(rs.getString("id"), rs.getString("name"), rs.getString("description"), rs.getLong("created_at"),
        rs.getString("tenant_id"), rs.getString("visibility"));
  }

  private static VirtualServer withMembers(Handle h, Row r) {
    List<List<String>> m = new java.util.ArrayList<>();
    for (String table : MEMBER_TABLES) {
      m.add(h.createQuery("SELECT member_id FROM " + table + " WHERE server_id = :s ORDER BY member_id")
          .bind("s", r.id()).mapTo(String.class).list());
    }
    Visibility v = Visibility.fromWireName(r.visibility());
    Ownership owner = new Ownership(r.tenantId(), v == null ? Visibility.PRIVATE : v,
        Ownerships.shares(h, OwnedKind.SERVER, r.id()));
    return new VirtualServer(r.id(), r.name(), r.description(), m.get(0), m.get(1), m.get(2), m.get(3),
        Instant.ofEpochMilli(r.createdAt()), owner);
  }

  private record Row(String id, String name, String description, long createdAt, String tenantId, String visibility) {}
}
