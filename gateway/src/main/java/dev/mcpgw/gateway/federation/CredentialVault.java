package dev.mcpgw.gateway.federation;

import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.GatewayRepository;
import dev.mcpgw.gateway.store.UpstreamCredentialRepository;
import dev.mcpgw.gateway.upstream.UserCredentials;
import dev.mcpgw.observability.logging.ThrottledLogger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.LoggerFactory;

/**
 * The per-user credential vault as the MCP path reads it (ADR 0018): whether an upstream takes per-user credentials
 * (fixed at registration, so remembered per upstream once read) and a user's stored headers (read from the database
 * on every call, so a credential deleted on another instance sharing the database is refused there too).
 */
public final class CredentialVault implements UserCredentials {
  private static final ThrottledLogger LOG = ThrottledLogger.of(LoggerFactory.getLogger(CredentialVault.class));

  private final GatewayRepository gateways;
  private final UpstreamCredentialRepository credentials;
  /** Per registered upstream id: whether it takes per-user credentials. Ids come from the registry, not clients. */
  private final ConcurrentMap<String, Boolean> perUser = new ConcurrentHashMap<>();

  public CredentialVault(Database db) {
    this.gateways = new GatewayRepository(db);
    this.credentials = new UpstreamCredentialRepository(db);
  }

  @Override
  public boolean perUser(String gatewayId) {
    Boolean known = perUser.get(gatewayId);
    if (known != null) {
      return known;
    }
    try {
      return gateways.find(gatewayId).map(g -> {
        boolean value = g.spec().perUser();
        perUser.put(gatewayId, value);
        return value;
      }).orElse(false);
    } catch (RuntimeException e) {
      // the database is down: a call to it fails anyway; never take the shared path for a per-user upstream by
      // mistake: claim per-user, whose lookup of the credential then fails too
      LOG.warn("could not read whether upstream {} takes per-user credentials: {}", gatewayId, e.getMessage());
      return true;
    }
  }

  @Override
  public Optional<Map<String, String>> headers(String tenantId, String userId, String gatewayId) {
    try {
      return credentials.find(tenantId, userId, gatewayId).map(UpstreamCredentialRepository.StoredCredential::headers);
    } catch (RuntimeException e) {
      // a value that does not decrypt with the key, or the database is down; the message names no value
      LOG.warn("could not read a user's credential for upstream {}: {}", gatewayId, e.getMessage());
      return Optional.empty();
    }
  }
}
