package dev.mcpgw.gateway.auth;

import dev.mcpgw.gateway.config.GatewaySettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens verified recently, so that a client sending the same token on every request pays for its signature
 * and claims once (issue 15: verification was 7.8 % of the gateway's CPU with real clients). Keyed by the SHA-256 of
 * the token, never the token itself; only accepted tokens are kept; an entry lives until the token's {@code exp} or
 * the configured TTL, whichever comes first; a provider's token is verified again as soon as that provider's keys were
 * fetched anew (the caller checks {@link Entry#keysGeneration()}), so a key rotated out stops its tokens at once. Bounded: a full cache first drops expired entries, then arbitrary ones.
 */
final class VerifiedTokens {
  /**
   * What a verified token stands for: its caller, the issuer label of the decision, until when (epoch ms), and the
   * generation of the provider's keys it was verified with (0 for the gateway's own tokens).
   */
  record Entry(Caller caller, String issuer, long expiresAtMillis, long keysGeneration) {}

  /** The SHA-256 of a token as four longs: cheap to hash and compare, and nothing of the token. */
  private record Key(long a, long b, long c, long d) {}

  private static final MessageDigest SHA_256;

  static {
    try {
      SHA_256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final long ttlMillis;
  private final Clock clock;

  VerifiedTokens(GatewaySettings.TokenCache settings, Clock clock) {
    this.maxEntries = settings.maxEntries();
    this.ttlMillis = settings.ttl().toMillis();
    this.clock = clock;
  }

  /** The entry of {@code token} while it is valid, else {@code null}. */
  Entry get(String token) {
    if (maxEntries == 0) {
      return null;
    }
    Key key = key(token);
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (clock.millis() >= e.expiresAtMillis()) {
      entries.remove(key, e);
      return null;
    }
    return e;
  }

  /** Keeps {@code token}, verified with the gateway's secret, until its {@code exp} or the TTL. */
  void put(String token, Caller caller, String issuer, Instant exp) {
    put(token, caller, issuer, exp, 0);
  }

  /** Keeps {@code token}, just verified with a provider's keys of {@code keysGeneration}, until its exp or the TTL. */
  void put(String token, Caller caller, String issuer, Instant exp, long keysGeneration) {
    if (maxEntries == 0 || exp == null) {
      return;
    }
    long now = clock.millis();
    long expiresAt = Math.min(exp.toEpochMilli(), now + ttlMillis);
    if (expiresAt <= now) {
      return;
    }
    if (entries.size() >= maxEntries) {
      makeRoom(now);
    }
    entries.put(key(token), new Entry(caller, issuer, expiresAt, keysGeneration));
  }

  /** How many tokens are kept (for tests). */
  int size() {
    return entries.size();
  }

  /** Drops the expired entries, then, while still full, arbitrary ones down to 90 % of the bound. */
  private void makeRoom(long now) {
    entries.values().removeIf(e -> now >= e.expiresAtMillis());
    int target = maxEntries - Math.max(1, maxEntries / 10);
    Iterator<Key> it = entries.keySet().iterator();
    while (entries.size() > target && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private static Key key(String token) {
    MessageDigest digest;
    try {
      digest = (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 cannot be cloned in this JDK", e);
    }
    ByteBuffer hash = ByteBuffer.wrap(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    return new Key(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
  }
}
