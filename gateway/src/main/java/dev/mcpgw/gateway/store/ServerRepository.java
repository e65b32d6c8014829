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
      h.createUpdate("INSERT INTO servers (id, name, description, created_at) VALUES (:id, :name, :d, :c)")
          .bind("id", s.id()).bind("name", s.name()).bind("d", s.description()).bind("c", s.createdAt().toEpochMilli())
          .execute();
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
        .map((rs, ctx) -> new Row(rs.getString("id"), rs.getString("name"), rs.getString("description"),
            rs.getLong("created_at")))
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
        .map((rs, ctx) -> new Row(rs.getString("id"), rs.getString("name"), rs.getString("description"),
            rs.getLong("created_at")))
        .list()
        .stream()
        .map(r -> withMembers(h, r))
        .toList());
  }

  public boolean delete(String id) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM servers WHERE id = :id").bind("id", id).execute()) > 0;
  }

  private static VirtualServer withMembers(Handle h, Row r) {
    List<List<String>> m = new java.util.ArrayList<>();
    for (String table : MEMBER_TABLES) {
      m.add(h.createQuery("SELECT member_id FROM " + table + " WHERE server_id = :s ORDER BY member_id")
          .bind("s", r.id()).mapTo(String.class).list());
    }
    return new VirtualServer(r.id(), r.name(), r.description(), m.get(0), m.get(1), m.get(2), m.get(3),
        Instant.ofEpochMilli(r.createdAt()));
  }

  private record Row(String id, String name, String description, long createdAt) {}
}
