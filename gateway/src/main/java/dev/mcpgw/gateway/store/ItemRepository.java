package dev.mcpgw.gateway.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The four definition tables ({@link ItemKind}): what upstreams offer and the gateway-local prompts and resources. */
public final class ItemRepository {
  private final Jdbi jdbi;

  public ItemRepository(Database database) {
    this.jdbi = database.jdbi();
  }

  /**
   * Makes the stored items of {@code kind} for {@code gatewayId} equal to {@code definitions}: an item whose key is
   * still offered keeps its id (virtual servers refer to it), new keys are inserted, vanished ones deleted. A
   * definition without its key field, or repeating a key, is skipped (the first one wins).
   *
   * <p>The upstream's row is locked first (its {@code refreshed_at} set to {@code now}), the order in which a
   * {@code DELETE FROM gateways} takes its locks before cascading to these rows. In the other order a refresh racing a
   * delete on another instance deadlocks on PostgreSQL, and the database aborts one of them.
   *
   * @return how many items are stored now; 0, with nothing written, when the upstream is no longer stored (deleted
   *     meanwhile, perhaps through another instance)
   */
  public int replaceForGateway(Handle h, ItemKind kind, String gatewayId, List<ObjectNode> definitions, Instant now) {
    int upstreams = h.createUpdate("UPDATE gateways SET refreshed_at = :at WHERE id = :g")
        .bind("at", now.toEpochMilli()).bind("g", gatewayId).execute();
    if (upstreams == 0) {
      return 0;
    }
    Map<String, ObjectNode> wanted = new LinkedHashMap<>();
    for (ObjectNode d : definitions) {
      String key = d.path(kind.keyField()).asText("");
      if (!key.isEmpty()) {
        wanted.putIfAbsent(key, d);
      }
    }
    Map<String, String> existing = new HashMap<>();
    h.createQuery("SELECT id, item_key FROM " + kind.table() + " WHERE gateway_id = :g")
        .bind("g", gatewayId)
        .map((rs, ctx) -> Map.entry(rs.getString("item_key"), rs.getString("id")))
        .forEach(e -> existing.put(e.getKey(), e.getValue()));
    for (Map.Entry<String, String> e : existing.entrySet()) {
      if (!wanted.containsKey(e.getKey())) {
        h.createUpdate("DELETE FROM " + kind.table() + " WHERE id = :id").bind("id", e.getValue()).execute();
      }
    }
    for (Map.Entry<String, ObjectNode> e : wanted.entrySet()) {
      String id = existing.get(e.getKey());
      if (id == null) {
        insert(h, kind, UUID.randomUUID().toString(), gatewayId, e.getKey(), e.getValue(), null, now);
      } else {
        h.createUpdate("UPDATE " + kind.table() + " SET definition = :d WHERE id = :id")
            .bind("id", id)
            .bind("d", JsonText.write(e.getValue()))
            .execute();
      }
    }
    return wanted.size();
  }

  /** Stores a gateway-local prompt or resource of tenant {@code default}, private; the caller has checked its key. */
  public StoredItem insertLocal(ItemKind kind, String key, ObjectNode definition, String body, Instant now) {
    return insertLocal(kind, key, definition, body, now, Ownership.DEFAULT_PRIVATE);
  }

  /** Stores a gateway-local prompt or resource owned as {@code owner}; the caller has checked that its key is free. */
  public StoredItem insertLocal(ItemKind kind, String key, ObjectNode definition, String body, Instant now,
      Ownership owner) {
    String id = UUID.randomUUID().toString();
    OwnedKind owned = OwnedKind.ofLocal(kind);
    if (owned == null) {
      throw new IllegalArgumentException("there are no local " + kind.resultField());
    }
    jdbi.useTransaction(h -> {
      h.createUpdate("INSERT INTO " + kind.table() + " (id, gateway_id, item_key, definition, body, created_at,"
              + " tenant_id, visibility) VALUES (:id, NULL, :k, :d, :b, :c, :t, :v)")
          .bind("id", id)
          .bind("k", key)
          .bind("d", JsonText.write(definition))
          .bind("b", body)
          .bind("c", now.toEpochMilli())
          .bind("t", owner.tenantId())
          .bind("v", owner.visibility().wireName())
          .execute();
      Ownerships.insertShares(h, owned, id, owner);
    });
    return new StoredItem(id, kind, null, key, definition, body, now, owner);
  }

  private static void insert(Handle h, ItemKind kind, String id, String gatewayId, String key, ObjectNode definition,
      String body, Instant now) {
    h.createUpdate("INSERT INTO " + kind.table()
            + " (id, gateway_id, item_key, definition, body, created_at) VALUES (:id, :g, :k, :d, :b, :c)")
        .bind("id", id)
        .bind("g", gatewayId)
        .bind("k", key)
        .bind("d", JsonText.write(definition))
        .bind("b", body)
        .bind("c", now.toEpochMilli())
        .execute();
  }

  /** Every item of {@code kind}: upstream ones by owner then key, local ones (no owner) first. */
  public List<StoredItem> list(ItemKind kind) {
    return jdbi.withHandle(h -> {
      Map<String, Set<String>> shares = OwnedKind.ofLocal(kind) == null ? Map.of()
          : Ownerships.shares(h, OwnedKind.ofLocal(kind));
      return h.createQuery("SELECT * FROM " + kind.table()
              + " ORDER BY CASE WHEN gateway_id IS NULL THEN 0 ELSE 1 END, gateway_id, item_key")
          .map((rs, ctx) -> map(kind, rs, shares.getOrDefault(rs.getString("id"), Set.of()))).list();
    });
  }

  public List<StoredItem> listByGateway(ItemKind kind, String gatewayId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM " + kind.table() + " WHERE gateway_id = :g ORDER BY item_key")
        .bind("g", gatewayId).map((rs, ctx) -> map(kind, rs, Set.of())).list());
  }

  /** How many items of {@code kind} each upstream has stored, by upstream id. */
  public Map<String, Integer> countByGateway(ItemKind kind) {
    Map<String, Integer> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT gateway_id, COUNT(*) AS n FROM " + kind.table()
            + " WHERE gateway_id IS NOT NULL GROUP BY gateway_id")
        .map((rs, ctx) -> Map.entry(rs.getString("gateway_id"), rs.getInt("n")))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  public Optional<StoredItem> find(ItemKind kind, String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM " + kind.table() + " WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> map(kind, rs, localShares(h, kind, id))).findOne());
  }

  /** The local item of tenant {@code default} with this key (as before tenancy). */
  public Optional<StoredItem> findLocal(ItemKind kind, String key) {
    return findLocal(kind, dev.mcpgw.gateway.auth.Tenancy.DEFAULT_TENANT, key);
  }

  /** The local item of {@code tenantId} with this key: local keys are unique per tenant. */
  public Optional<StoredItem> findLocal(ItemKind kind, String tenantId, String key) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM " + kind.table()
            + " WHERE gateway_id IS NULL AND tenant_id = :t AND item_key = :k").bind("t", tenantId).bind("k", key)
        .map((rs, ctx) -> map(kind, rs, localShares(h, kind, rs.getString("id")))).findOne());
  }

  /** Deletes a gateway-local item and its shares; upstream items go only with their upstream or on refresh. */
  public boolean deleteLocal(ItemKind kind, String id) {
    return jdbi.inTransaction(h -> {
      int n = h.createUpdate("DELETE FROM " + kind.table() + " WHERE id = :id AND gateway_id IS NULL")
          .bind("id", id).execute();
      if (n > 0 && OwnedKind.ofLocal(kind) != null) {
        Ownerships.deleteShares(h, OwnedKind.ofLocal(kind), id);
      }
      return n;
    }) > 0;
  }

  private static Set<String> localShares(Handle h, ItemKind kind, String id) {
    return OwnedKind.ofLocal(kind) == null ? Set.of() : Ownerships.shares(h, OwnedKind.ofLocal(kind), id);
  }

  private static StoredItem map(ItemKind kind, ResultSet rs, Set<String> shares) throws SQLException {
    String gatewayId = rs.getString("gateway_id");
    Ownership owner = gatewayId == null && OwnedKind.ofLocal(kind) != null ? Ownerships.read(rs, shares) : null;
    return new StoredItem(rs.getString("id"), kind, gatewayId, rs.getString("item_key"),
        JsonText.object(rs.getString("definition")), rs.getString("body"),
        Instant.ofEpochMilli(rs.getLong("created_at")), owner);
  }
}
