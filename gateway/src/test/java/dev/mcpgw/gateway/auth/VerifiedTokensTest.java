package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.gateway.config.GatewaySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The cache of verified bearer tokens: what it keeps, for how long, and how many. */
class VerifiedTokensTest {
  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  private static final Caller ALICE = new Caller("alice", "acme", Caller.Role.USER);

  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  private VerifiedTokens cache(int size, Duration ttl) {
    return new VerifiedTokens(new GatewaySettings.TokenCache(size, ttl), clock);
  }

  @Test
  void aVerifiedTokenIsServedWithItsCallerAndIssuerUntilTheTtl() {
    VerifiedTokens tokens = cache(10, Duration.ofSeconds(60));
    tokens.put("token-a", ALICE, "mcpgw", T0.plus(Duration.ofHours(1)));

    assertThat(tokens.get("token-a")).satisfies(e -> {
      assertThat(e.caller()).isEqualTo(ALICE);
      assertThat(e.issuer()).isEqualTo("mcpgw");
    });
    assertThat(tokens.get("token-b")).isNull();
    now.set(T0.plusSeconds(59));
    assertThat(tokens.get("token-a")).isNotNull();
    now.set(T0.plusSeconds(60));
    assertThat(tokens.get("token-a")).isNull();
    assertThat(tokens.size()).isZero();
  }

  @Test
  void anEntryNeverOutlivesItsTokensExp() {
    VerifiedTokens tokens = cache(10, Duration.ofMinutes(15));
    tokens.put("short", ALICE, "mcpgw", T0.plusSeconds(5));
    tokens.put("expired", ALICE, "mcpgw", T0.minusSeconds(1));
    tokens.put("no-exp", ALICE, "mcpgw", null);

    assertThat(tokens.get("short")).isNotNull();
    assertThat(tokens.get("expired")).isNull();
    assertThat(tokens.get("no-exp")).isNull();
    now.set(T0.plusSeconds(5));
    assertThat(tokens.get("short")).isNull();
  }

  @Test
  void aFullCacheDropsExpiredEntriesFirstThenArbitraryOnesAndNeverExceedsItsBound() {
    VerifiedTokens tokens = cache(100, Duration.ofSeconds(60));
    for (int i = 0; i < 50; i++) {
      tokens.put("old-" + i, ALICE, "mcpgw", T0.plusSeconds(10));
    }
    now.set(T0.plusSeconds(11));
    for (int i = 0; i < 60; i++) {
      tokens.put("new-" + i, ALICE, "mcpgw", T0.plus(Duration.ofHours(1)));
    }
    // the 50 expired ones made room: every new one is kept
    assertThat(tokens.size()).isEqualTo(60);
    for (int i = 0; i < 60; i++) {
      assertThat(tokens.get("new-" + i)).isNotNull();
    }
    for (int i = 60; i < 1_000; i++) {
      tokens.put("new-" + i, ALICE, "mcpgw", T0.plus(Duration.ofHours(1)));
      assertThat(tokens.size()).isLessThanOrEqualTo(100);
    }
    assertThat(tokens.get("new-999")).isNotNull();
  }

  @Test
  void sizeZeroKeepsNothing() {
    VerifiedTokens tokens = cache(0, Duration.ofSeconds(60));
    tokens.put("token-a", ALICE, "mcpgw", T0.plus(Duration.ofHours(1)));
    assertThat(tokens.get("token-a")).isNull();
    assertThat(tokens.size()).isZero();
  }

  @Test
  void theCacheTakesItsBoundAndTtlFromMcpgwAuthCacheSizeAndTtl(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    GatewaySettings.TokenCache defaults = dev.mcpgw.gateway.config.SettingsLoader.load(java.util.Map.of(), tmp).auth()
        .tokenCache();
    assertThat(defaults).isEqualTo(GatewaySettings.TokenCache.DEFAULTS);
    GatewaySettings.TokenCache set = dev.mcpgw.gateway.config.SettingsLoader.load(java.util.Map.of(
        "MCPGW_AUTH_CACHE_SIZE", "1", "MCPGW_AUTH_CACHE_TTL", "2s"), tmp).auth().tokenCache();
    VerifiedTokens tokens = new VerifiedTokens(set, clock);

    tokens.put("a", ALICE, "mcpgw", T0.plus(Duration.ofHours(1)));
    tokens.put("b", ALICE, "mcpgw", T0.plus(Duration.ofHours(1)));
    assertThat(tokens.size()).isEqualTo(1);
    assertThat(tokens.get("b")).isNotNull();
    now.set(T0.plusSeconds(2));
    assertThat(tokens.get("b")).isNull();
  }
}
