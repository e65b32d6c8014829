package dev.mcpgw.gateway.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.http.ApiException;
import dev.mcpgw.gateway.http.RequestFields;
import dev.mcpgw.gateway.secret.Masking;
import dev.mcpgw.gateway.store.Database;
import dev.mcpgw.gateway.store.UpstreamCredentialRepository;
import dev.mcpgw.gateway.upstream.UpstreamPool;
import dev.mcpgw.gateway.upstream.UserCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' own credentials for upstreams registered with {@code "credentials": "per-user"} (ADR 0018): a user stores,
 * replaces, inspects (masked) and deletes their own; an admin of the user's tenant deletes (never reads) them.
 * Storing or deleting one closes the user's upstream sessions there, so the next call carries what is stored now.
 */
public final class CredentialService {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialService.class);
  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
  /** Headers the HTTP client sets itself or that would change the request's framing or routing. */
  private static final Set<String> RESERVED = Set.of("host", "connection", "content-length", "content-type",
      "expect", "upgrade", "transfer-encoding", "te", "trailer", "keep-alive", "accept", "mcp-session-id",
      "mcp-protocol-version", "last-event-id", "traceparent", "tracestate", "baggage");
  static final int MAX_HEADERS = 16;
  static final int MAX_VALUE_LENGTH = 8192;

  private final GatewayService gateways;
  private final UpstreamCredentialRepository credentials;
  private final UpstreamPool pool;
  private final Clock clock;

  public CredentialService(Database db, GatewayService gateways, UpstreamPool pool) {
    this.gateways = gateways;
    this.credentials = new UpstreamCredentialRepository(db);
    this.pool = pool;
    this.clock = Clock.systemUTC();
  }

  /**
   * Stores (or replaces) the caller's headers for the upstream {@code id}.
   *
   * @throws ApiException 404 when the caller does not see it, 409 when it does not take per-user credentials, 400
   *     naming the field when the headers are invalid
   */
  public CredentialView put(String id, ObjectNode body, Caller caller) {
    GatewayView upstream = perUserUpstream(id, caller);
    Map<String, String> headers = headers(body);
    Instant now = clock.instant();
    credentials.put(caller.tenantId(), caller.userId(), id, headers, now);
    pool.closeSessionsOf(id, UserCredentials.owner(caller.tenantId(), caller.userId()));
    LOG.info("stored a per-user credential for upstream '{}' (headers {})", upstream.name(), headers.keySet());
    return new CredentialView(id, upstream.name(), caller.userId(), true, Masking.values(headers), now);
  }

  /** Whether the caller stored a credential for {@code id}, its header names and when; never a value. */
  public CredentialView get(String id, Caller caller) {
    GatewayView upstream = perUserUpstream(id, caller);
    Optional<UpstreamCredentialRepository.StoredCredential> stored = stored(caller.tenantId(), caller.userId(), id);
    return new CredentialView(id, upstream.name(), caller.userId(), stored.isPresent(),
        stored.map(s -> Masking.values(s.headers())).orElse(Map.of()), stored.map(s -> s.updatedAt()).orElse(null));
  }

  /** Deletes the caller's own credential for {@code id}; 404 when there is none. */
  public void deleteOwn(String id, Caller caller) {
    delete(id, caller.tenantId(), caller.userId(), perUserUpstream(id, caller));
  }

  /**
   * Deletes the credential {@code userId} of the caller's tenant stored for {@code id} (the caller an admin of that
   * tenant, or a platform admin, who may name another tenant with {@code tenantId}).
   *
   * @throws ApiException 403 for a caller who is no admin, or a tenant admin naming another tenant; 404 when the
   *     caller does not see the upstream or there is no such credential
   */
  public void deleteFor(String id, String userId, String tenantId, Caller caller) {
    if (!caller.admin()) {
      throw new ApiException(403, "only an admin of the user's tenant deletes another user's credential; delete "
          + "your own with DELETE /gateways/" + id + "/credentials/me", null);
    }
    String tenant = tenantId == null ? caller.tenantId() : tenantId;
    if (!tenant.equals(caller.tenantId()) && !caller.platformAdmin()) {
      throw new ApiException(403, "a tenant admin deletes the credentials of its own tenant's users only", "tenant");
    }
    delete(id, tenant, userId, perUserUpstream(id, caller));
  }

  private void delete(String id, String tenantId, String userId, GatewayView upstream) {
    if (!credentials.delete(tenantId, userId, id)) {
      throw ApiException.notFound("no credential of that user is stored for upstream '" + upstream.name() + "'");
    }
    pool.closeSessionsOf(id, UserCredentials.owner(tenantId, userId));
    LOG.info("deleted a per-user credential for upstream '{}'", upstream.name());
  }

  private Optional<UpstreamCredentialRepository.StoredCredential> stored(String tenantId, String userId, String id) {
    try {
      return credentials.find(tenantId, userId, id);
    } catch (dev.mcpgw.gateway.secret.SecretKeyMismatchException e) {
      // stored with another key: as good as absent; storing a new one replaces it
      return Optional.empty();
    }
  }

  /** The upstream {@code id} as {@code caller} sees it, when it takes per-user credentials. */
  private GatewayView perUserUpstream(String id, Caller caller) {
    GatewayView upstream = gateways.get(id, caller);
    if (!upstream.perUser()) {
      throw ApiException.conflict("credentials", "upstream '" + upstream.name() + "' uses the credentials of its "
          + "registration; per-user credentials are for upstreams registered with \"credentials\": \"per-user\"");
    }
    return upstream;
  }

  private static Map<String, String> headers(ObjectNode body) {
    RequestFields f = RequestFields.of(body, Set.of("headers"));
    if (!f.has("headers")) {
      throw ApiException.badRequest("headers", "'headers' is required: the HTTP headers your calls to this "
          + "upstream carry, e.g. {\"Authorization\": \"Bearer <token>\"}");
    }
    Map<String, String> headers = f.stringMap("headers");
    if (headers.isEmpty() || headers.size() > MAX_HEADERS) {
      throw ApiException.badRequest("headers", "'headers' must hold 1 to " + MAX_HEADERS + " headers");
    }
    headers.forEach((name, value) -> {
      if (!HEADER_NAME.matcher(name).matches() || RESERVED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        throw ApiException.badRequest("headers", "'headers' holds an invalid or reserved header name: '"
            + (HEADER_NAME.matcher(name).matches() ? name : "(not a header name)") + "'");
      }
      if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH
          || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
        // the value itself is never echoed
        throw ApiException.badRequest("headers", "'headers." + name + "' must be 1 to " + MAX_VALUE_LENGTH
            + " characters without control characters");
      }
    });
    return headers;
  }

  /**
   * One user's credential for one upstream as the API shows it: whether one is set, its header names with the
   * values masked, and when it was stored.
   */
  public record CredentialView(String upstream, String name, String user, boolean set, Map<String, String> headers,
      Instant updatedAt) {}
}
