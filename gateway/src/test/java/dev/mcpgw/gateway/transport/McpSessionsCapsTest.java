package dev.mcpgw.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.catalog.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McpSessionsCapsTest {
  private static final Caller ALICE_A = new Caller("alice", "tenant-a", false);
  private static final Caller ALICE_B = new Caller("alice", "tenant-b", false);
  private static final Caller BOB_A = new Caller("bob", "tenant-a", false);
  private final List<McpSessions> opened = new ArrayList<>();

  private McpSessions sessions(int total, int perUser, int perTenant, Duration idle) {
    McpSettings s = McpSettings.DEFAULTS.withSessionCaps(total, perUser, perTenant);
    s = new McpSettings(s.maxBodyBytes(), s.requestTimeout(), s.allowedOrigins(), idle, s.maxSessions(),
        s.keepAliveInterval(), s.listChangedInterval(), s.replayEvents(), s.maxSessionsPerUser(),
        s.maxSessionsPerTenant());
    McpSessions sessions = new McpSessions(s, list -> {});
    opened.add(sessions);
    return sessions;
  }

  @AfterEach
  void close() {
    opened.forEach(McpSessions::close);
  }

  @Test
  void aSessionBelongsOnlyToTheSameUserOfTheSameTenant() {
    McpSession s = sessions(10, 10, 10, Duration.ofMinutes(1)).create(Scope.ALL, ALICE_A, false, "2025-06-18");

    assertThat(s.belongsTo(Scope.ALL, ALICE_A, false)).isTrue();
    assertThat(s.belongsTo(Scope.ALL, ALICE_B, false)).isFalse();
    assertThat(s.belongsTo(Scope.ALL, BOB_A, false)).isFalse();
    assertThat(s.belongsTo(new Scope("srv"), ALICE_A, false)).isFalse();
    assertThat(s.belongsTo(Scope.ALL, ALICE_A, true)).isFalse();
  }

  @Test
  void aUserBeyondItsCapIsRefusedNamingTheSettingWhileItsSessionsLive() {
    McpSessions sessions = sessions(100, 2, 100, Duration.ofMinutes(1));
    McpSession first = sessions.create(Scope.ALL, ALICE_A, false, "v");
    McpSession second = sessions.create(Scope.ALL, ALICE_A, false, "v");

    assertThatThrownBy(() -> sessions.create(Scope.ALL, ALICE_A, false, "v"))
        .isInstanceOfSatisfying(SessionLimitException.class, e -> {
          assertThat(e.setting()).isEqualTo("MCPGW_SESSIONS_MAX_PER_USER");
          assertThat(e.limit()).isEqualTo(2);
        })
        .hasMessageContaining("MCPGW_SESSIONS_MAX_PER_USER");
    assertThat(sessions.find(first.id())).isSameAs(first);
    assertThat(sessions.find(second.id())).isSameAs(second);
  }

  @Test
  void theSameUserIdInAnotherTenantHasItsOwnCap() {
    McpSessions sessions = sessions(100, 1, 100, Duration.ofMinutes(1));
    sessions.create(Scope.ALL, ALICE_A, false, "v");

    assertThat(sessions.create(Scope.ALL, ALICE_B, false, "v")).isNotNull();
  }

  @Test
  void aTenantBeyondItsCapIsRefusedAcrossItsUsers() {
    McpSessions sessions = sessions(100, 5, 2, Duration.ofMinutes(1));
    sessions.create(Scope.ALL, ALICE_A, false, "v");
    sessions.create(Scope.ALL, BOB_A, false, "v");

    assertThatThrownBy(() -> sessions.create(Scope.ALL, ALICE_A, false, "v"))
        .isInstanceOfSatisfying(SessionLimitException.class,
            e -> assertThat(e.setting()).isEqualTo("MCPGW_SESSIONS_MAX_PER_TENANT"));
    assertThat(sessions.create(Scope.ALL, ALICE_B, false, "v")).isNotNull();
  }

  @Test
  void theTotalCapRefusesNewSessionsInsteadOfEvictingLiveOnes() {
    McpSessions sessions = sessions(2, 5, 5, Duration.ofMinutes(1));
    McpSession a = sessions.create(Scope.ALL, ALICE_A, false, "v");
    McpSession b = sessions.create(Scope.ALL, ALICE_B, false, "v");

    assertThatThrownBy(() -> sessions.create(Scope.ALL, BOB_A, false, "v"))
        .isInstanceOfSatisfying(SessionLimitException.class, e -> assertThat(e.setting()).isEqualTo("MCPGW_MAX_SESSIONS"));
    assertThat(sessions.find(a.id())).isSameAs(a);
    assertThat(sessions.find(b.id())).isSameAs(b);
  }

  @Test
  void endingASessionFreesItsPlaceAtOnce() {
    McpSessions sessions = sessions(100, 1, 100, Duration.ofMinutes(1));
    McpSession s = sessions.create(Scope.ALL, ALICE_A, false, "v");

    sessions.end(s.id());

    assertThat(sessions.create(Scope.ALL, ALICE_A, false, "v")).isNotNull();
  }

  @Test
  void expiredSessionsAreReclaimedBeforeACapRefuses() {
    McpSessions sessions = sessions(1, 1, 1, Duration.ofMillis(200));
    sessions.create(Scope.ALL, ALICE_A, false, "v");

    await().atMost(Duration.ofSeconds(10)).ignoreException(SessionLimitException.class)
        .until(() -> sessions.create(Scope.ALL, BOB_A, false, "v") != null);
    assertThat(sessions.size()).isEqualTo(1);
  }
}
