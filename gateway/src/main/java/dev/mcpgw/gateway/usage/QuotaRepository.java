package dev.mcpgw.gateway.usage;

import dev.mcpgw.gateway.store.Database;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code quotas} table. */
public final class QuotaRepository {
  private static final RowMapper<Quota> ROW = (rs, ctx) -> new Quota(rs.getString("id"), rs.getString("tenant_id"),
      rs.getString("user_id"), Quota.Metric.of(rs.getString("metric")), rs.getDouble("limit_value"),
      Quota.Window.of(rs.getString("quota_window")));

  private final Jdbi jdbi;

  public QuotaRepository(Database db) {
    this.jdbi = db.untracedJdbi();
  }

  /** Stores a new quota with a fresh id. */
  public Quota create(String tenant, String userOrNull, Quota.Metric metric, double limit, Quota.Window window) {
    Quota q = new Quota(UUID.randomUUID().toString(), tenant, userOrNull, metric, limit, window);
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO quotas (id, tenant_id, user_id, metric, limit_value, quota_window,"
        + " created_at) VALUES (:id, :tenant, :user, :metric, :limit, :window, :at)")
        .bind("id", q.id()).bind("tenant", q.tenant()).bind("user", q.user()).bind("metric", metric.wire())
        .bind("limit", limit).bind("window", window.wire()).bind("at", System.currentTimeMillis()).execute());
    return q;
  }

  /** Every quota, or those of one tenant; oldest first. */
  public List<Quota> list(String tenantOrNull) {
    if (tenantOrNull == null) {
      return jdbi.withHandle(h -> h.createQuery("SELECT * FROM quotas ORDER BY created_at, id").map(ROW).list());
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM quotas WHERE tenant_id = :tenant ORDER BY created_at, id")
        .bind("tenant", tenantOrNull).map(ROW).list());
  }

  public Optional<Quota> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM quotas WHERE id = :id").bind("id", id).map(ROW)
        .findOne());
  }

  public boolean delete(String id) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM quotas WHERE id = :id").bind("id", id).execute()) > 0;
  }

  /** How many quotas {@code tenant} has. */
  public int count(String tenant) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM quotas WHERE tenant_id = :tenant")
        .bind("tenant", tenant).mapTo(Integer.class).one());
  }
}
