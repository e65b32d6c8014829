package dev.mcpgw.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import dev.mcpgw.gateway.jsonrpc.JsonRpc;
import dev.mcpgw.gateway.jsonrpc.RpcException;
import dev.mcpgw.gateway.upstream.UpstreamClient;
import dev.mcpgw.gateway.upstream.UserCredentials;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which upstream session a call to an upstream with per-user credentials runs on (ADR 0018). */
class PerUserUpstreamSessionsTest {
  private static final Caller ALICE = new Caller("alice", "acme", Caller.Role.USER);
  private static final Caller BOB = new Caller("bob", "acme", Caller.Role.USER);

  private final ScriptedUpstreams scripted = new ScriptedUpstreams();
  /** The vault as the MCP path sees it, in memory: upstream g1 takes per-user credentials, g2 does not. */
  private final Map<String, Map<String, String>> stored = new ConcurrentHashMap<>();
  private final UserCredentials vault = new UserCredentials() {
    @Override
    public boolean perUser(String gatewayId) {
      return "g1".equals(gatewayId);
    }

    @Override
    public Optional<Map<String, String>> headers(String tenantId, String userId, String gatewayId) {
      return Optional.ofNullable(stored.get(tenantId + "/" + userId + "/" + gatewayId));
    }
  };
  private ClientSessions sessions;

  @BeforeEach
  void start() {
    scripted.add("g1", "gh", (u, method, params) -> CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode()));
    scripted.add("g2", "plain", (u, method, params) -> CompletableFuture.completedFuture(
        JsonRpc.MAPPER.createObjectNode()));
    sessions = new ClientSessions(RoutingUpstreamPool.wrap(scripted, vault), null, Duration.ofSeconds(5));
  }

  /** Starts Alice's client session {@code s1} declaring {@code capability}: it needs upstream sessions of its own. */
  private void startAlicesSessionDeclaring(String capability) {
    ObjectNode init = JsonRpc.MAPPER.createObjectNode();
    init.putObject("capabilities").putObject(capability);
    sessions.start("s1", Scope.of(ALICE), init, Downstream.NONE);
  }

  private static Exchange exchange(Caller caller, String sessionId) {
    return new Exchange(caller, "req-1", Scope.of(caller), sessionId, Downstream.NONE);
  }

  @Test
  void aCallerWithoutAStoredCredentialIsToldWhereToStoreOneAndNothingIsOpened() {
    assertThatThrownBy(() -> sessions.clientFor(exchange(ALICE, null), "g1", "gh"))
        .isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(RpcException.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("PUT /gateways/g1/credentials/me");
        });
    assertThat(scripted.opened).isEmpty();
  }

  @Test
  void eachUserGetsASessionOpenedWithTheirOwnHeadersNeverTheSharedOne() {
    stored.put("acme/alice/g1", Map.of("Authorization", "Bearer a"));
    stored.put("acme/bob/g1", Map.of("Authorization", "Bearer b"));
    UpstreamClient alice = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();
    UpstreamClient bob = sessions.clientFor(exchange(BOB, null), "g1", "gh").orElseThrow();
    UpstreamClient aliceAgain = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();

    assertThat(alice).isNotSameAs(bob).isSameAs(aliceAgain).isNotSameAs(scripted.get("g1").orElseThrow());
    assertThat(((ScriptedUpstreams.Upstream) alice).headers()).containsEntry("Authorization", "Bearer a");
    assertThat(((ScriptedUpstreams.Upstream) bob).headers()).containsEntry("Authorization", "Bearer b");
    // an upstream with shared credentials keeps the shared session
    assertThat(sessions.clientFor(exchange(ALICE, null), "g2", "plain")).containsSame(scripted.get("g2").orElseThrow());
  }

  @Test
  void aClientThatNeedsItsOwnUpstreamSessionsGetsOneWithItsUsersHeaders() {
    stored.put("acme/alice/g1", Map.of("Authorization", "Bearer a"));
    startAlicesSessionDeclaring("roots");
    UpstreamClient own = sessions.clientFor(exchange(ALICE, "s1"), "g1", "gh").orElseThrow();
    UpstreamClient userWide = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();

    assertThat(own).isNotSameAs(userWide);
    assertThat(((ScriptedUpstreams.Upstream) own).headers()).containsEntry("Authorization", "Bearer a");
    assertThat(((ScriptedUpstreams.Upstream) own).initializeParams().has("capabilities")).isTrue();
    sessions.end("s1");
    assertThat(((ScriptedUpstreams.Upstream) own).isClosed()).isTrue();
  }

  @Test
  void aRevokedSessionIsReopenedWithWhatIsStoredNowAndRefusedWhenNothingIs() {
    stored.put("acme/alice/g1", Map.of("Authorization", "Bearer old"));
    UpstreamClient first = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();
    stored.put("acme/alice/g1", Map.of("Authorization", "Bearer new"));
    scripted.closeSessionsOf("g1", UserCredentials.owner("acme", "alice"));

    UpstreamClient second = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();
    assertThat(second).isNotSameAs(first);
    assertThat(((ScriptedUpstreams.Upstream) second).headers()).containsEntry("Authorization", "Bearer new");

    stored.remove("acme/alice/g1");
    scripted.closeSessionsOf("g1", UserCredentials.owner("acme", "alice"));
    assertThatThrownBy(() -> sessions.clientFor(exchange(ALICE, null), "g1", "gh"))
        .isInstanceOf(RpcException.class);
  }

  @Test
  void aUsersSessionLeftIdleIsClosedAndTheNextCallOpensAnother() {
    stored.put("acme/alice/g1", Map.of("Authorization", "Bearer a"));
    UpstreamClient first = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();

    sessions.closeIdleUserSessions(System.nanoTime() + ClientSessions.USER_SESSION_IDLE.toNanos()
        + Duration.ofMinutes(2).toNanos());
    assertThat(((ScriptedUpstreams.Upstream) first).isClosed()).isTrue();
    UpstreamClient second = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();
    assertThat(second).isNotSameAs(first);
    assertThat(second.health().connected()).isTrue();
  }

  @Test
  void aCredentialReplacedElsewhereIsNoticedAtTheNextCallOnBothKindsOfSession() {
    stored.put("acme/alice/g1", Map.of("Authorization", "Bearer old"));
    startAlicesSessionDeclaring("sampling");
    UpstreamClient own = sessions.clientFor(exchange(ALICE, "s1"), "g1", "gh").orElseThrow();
    UpstreamClient userWide = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();

    // stored through another instance sharing the database: no session of this one was closed
    stored.put("acme/alice/g1", Map.of("Authorization", "Bearer new"));
    UpstreamClient ownAfter = sessions.clientFor(exchange(ALICE, "s1"), "g1", "gh").orElseThrow();
    UpstreamClient userWideAfter = sessions.clientFor(exchange(ALICE, null), "g1", "gh").orElseThrow();

    assertThat(((ScriptedUpstreams.Upstream) own).isClosed()).isTrue();
    assertThat(((ScriptedUpstreams.Upstream) userWide).isClosed()).isTrue();
    assertThat(((ScriptedUpstreams.Upstream) ownAfter).headers()).containsEntry("Authorization", "Bearer new");
    assertThat(((ScriptedUpstreams.Upstream) userWideAfter).headers()).containsEntry("Authorization", "Bearer new");
    // and kept while it does not change
    assertThat(sessions.clientFor(exchange(ALICE, null), "g1", "gh")).containsSame(userWideAfter);
  }
}
