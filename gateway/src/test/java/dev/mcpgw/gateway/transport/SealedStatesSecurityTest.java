package dev.mcpgw.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.auth.Caller.Role;
import dev.mcpgw.gateway.catalog.Scope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * An attacker holding someone else's {@code requestState}, or forging one, cannot resume a multi round-trip request
 * through the gateway: the state opens only for the caller, scope and request it was sealed for, unchanged, before
 * it expires.
 */
class SealedStatesSecurityTest {
  private static final byte[] KEY = new byte[32];
  private static final Caller ALICE = new Caller("alice", "acme", Role.USER);
  private static final Scope SERVER = new Scope("srv-1", "acme", false);
  private final Clock now = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
  private final SealedStates states = new SealedStates(KEY, now);

  private String sealed() {
    return states.seal("upstream-state", ALICE, SERVER, "tools/call", "book_flight");
  }

  @Test
  void theCallerGetsTheUpstreamsStateBackForTheSameRequest() {
    assertThat(sealed()).doesNotContain("upstream-state");
    assertThat(states.open(sealed(), ALICE, SERVER, "tools/call", "book_flight")).isEqualTo("upstream-state");
  }

  @Test
  void aUserOfAnotherTenantCannotResumeAlicesRequest() {
    Caller mallory = new Caller("alice", "evil", Role.USER);

    assertThat(states.open(sealed(), mallory, new Scope("srv-1", "evil", false), "tools/call", "book_flight"))
        .isNull();
    assertThat(states.open(sealed(), new Caller("bob", "acme", Role.USER), SERVER, "tools/call", "book_flight"))
        .isNull();
  }

  @Test
  void aStateIsBoundToItsToolMethodAndVirtualServer() {
    assertThat(states.open(sealed(), ALICE, SERVER, "tools/call", "transfer_money")).isNull();
    assertThat(states.open(sealed(), ALICE, SERVER, "prompts/get", "book_flight")).isNull();
    assertThat(states.open(sealed(), ALICE, new Scope("srv-2", "acme", false), "tools/call", "book_flight")).isNull();
  }

  @Test
  void aChangedOrForgedStateDoesNotOpen() {
    String s = sealed();
    String[] parts = s.split("\\.");

    assertThat(states.open(s + "-TAMPERED", ALICE, SERVER, "tools/call", "book_flight")).isNull();
    assertThat(states.open(parts[0] + "." + parts[1] + "x." + parts[2], ALICE, SERVER, "tools/call", "book_flight"))
        .isNull();
    assertThat(states.open("upstream-state", ALICE, SERVER, "tools/call", "book_flight")).isNull();
    byte[] otherKey = Arrays.copyOf(KEY, 32);
    otherKey[0] = 1;
    assertThat(new SealedStates(otherKey, now).open(s, ALICE, SERVER, "tools/call", "book_flight")).isNull();
  }

  @Test
  void aStateExpiresAfterItsLifetime() {
    Clock later = Clock.offset(now, SealedStates.LIFETIME.plusSeconds(1));

    assertThat(new SealedStates(KEY, later).open(sealed(), ALICE, SERVER, "tools/call", "book_flight")).isNull();
  }
}
