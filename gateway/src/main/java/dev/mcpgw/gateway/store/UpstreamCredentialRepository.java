package dev.mcpgw.gateway.store;

import dev.mcpgw.gateway.secret.SecretCipher;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code upstream_credentials} table: one user's headers for one upstream registered with per-user credentials
 * (ADR 0018), keyed by tenant, user and upstream. The headers are stored encrypted with the registry's
 * {@link SecretCipher}; the associated data names the row's key, so that a value copied into another user's row (by
 * someone with write access to the database but not the key) does not decrypt.
 */
public final class UpstreamCredentialRepository {
  private final Jdbi jdbi;
  private final SecretCipher cipher;

  public UpstreamCredentialRepository(Database database) {
    this.jdbi = database.jdbi();
    this.cipher = database.secrets();
  }

  /** One stored credential: its headers (secret) and when it was last stored. */
  public record StoredCredential(Map<String, String> headers, Instant updatedAt) {
    public StoredCredential {
      headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
      return "StoredCredential[headers=" + headers.keySet() + ", updatedAt=" + updatedAt + "]";
    }
  }

  /** Stores (or replaces) the headers of {@code userId} of {@code tenantId} for the upstream {@code gatewayId}. */
  public void put(String tenantId, String userId, String gatewayId, Map<String, String> headers, Instant at) {
    String sealed = cipher.encrypt(JsonText.write(headers), associatedData(tenantId, userId, gatewayId));
    jdbi.useTransaction(h -> {
      int updated = h.createUpdate("""
              UPDATE upstream_credentials SET headers_json = :headers, updated_at = :at
              WHERE tenant_id = :tenant AND user_id = :user AND gateway_id = :gateway""")
          .bind("tenant", tenantId).bind("user", userId).bind("gateway", gatewayId)
          .bind("headers", sealed).bind("at", at.toEpochMilli()).execute();
      if (updated == 0) {
        h.createUpdate("""
                INSERT INTO upstream_credentials (tenant_id, user_id, gateway_id, headers_json, updated_at)
                VALUES (:tenant, :user, :gateway, :headers, :at)""")
            .bind("tenant", tenantId).bind("user", userId).bind("gateway", gatewayId)
            .bind("headers", sealed).bind("at", at.toEpochMilli()).execute();
      }
    });
  }

  /**
   * The credential of {@code userId} of {@code tenantId} for {@code gatewayId}.
   *
   * @throws dev.mcpgw.gateway.secret.SecretKeyMismatchException when it does not decrypt with the registry's key
   */
  public Optional<StoredCredential> find(String tenantId, String userId, String gatewayId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT headers_json, updated_at FROM upstream_credentials
            WHERE tenant_id = :tenant AND user_id = :user AND gateway_id = :gateway""")
        .bind("tenant", tenantId).bind("user", userId).bind("gateway", gatewayId)
        .map((rs, ctx) -> new StoredCredential(
            JsonText.stringMap(cipher.decrypt(rs.getString("headers_json"),
                associatedData(tenantId, userId, gatewayId))),
            Instant.ofEpochMilli(rs.getLong("updated_at"))))
        .findOne());
  }

  /** Deletes it; false when there was none. */
  public boolean delete(String tenantId, String userId, String gatewayId) {
    return jdbi.withHandle(h -> h.createUpdate("""
            DELETE FROM upstream_credentials
            WHERE tenant_id = :tenant AND user_id = :user AND gateway_id = :gateway""")
        .bind("tenant", tenantId).bind("user", userId).bind("gateway", gatewayId).execute()) > 0;
  }

  /** The row's column and key: what the ciphertext is bound to. */
  static String associatedData(String tenantId, String userId, String gatewayId) {
    return "upstream_credentials.headers_json\0" + tenantId + "\0" + userId + "\0" + gatewayId;
  }
}
