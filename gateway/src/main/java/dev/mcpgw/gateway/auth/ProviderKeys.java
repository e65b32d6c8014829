package dev.mcpgw.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's signing keys: its JWKS (found through OpenID discovery when no JWKS URL is configured), fetched
 * lazily, kept for {@link #MAX_AGE}, and fetched again when a token names a key it does not hold. Fetches are
 * single-flight (one at a time; those waiting reuse its result) and at most one per refresh interval, so a flood of
 * tokens with made-up {@code kid}s costs the provider at most one request per interval. A provider that is down
 * refuses tokens with {@link AuthFailure#KEYS_UNAVAILABLE} until it answers; it never stops the gateway.
 */
final class ProviderKeys {
  /** How long fetched keys are used before they are fetched again (so a key the provider dropped stops working). */
  static final Duration MAX_AGE = Duration.ofMinutes(15);
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final int MAX_BYTES = 512 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ProviderKeys.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String issuer;
  private final Duration refreshInterval;
  private final HttpClient http;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();

  private volatile Snapshot current;
  /** Counts the successful fetches: a token verified with an earlier set of keys is verified again. */
  private volatile long generation;
  private Instant lastAttempt;
  private URI jwksUrl;

  /** The keys with the time they were fetched (or {@code null} keys: none fetched yet). */
  private record Snapshot(JWKSet keys, Instant fetched) {}

  ProviderKeys(String issuer, URI configuredJwks, Duration refreshInterval, HttpClient http, Clock clock) {
    this.issuer = issuer;
    this.refreshInterval = refreshInterval;
    this.http = http;
    this.clock = clock;
    this.jwksUrl = configuredJwks;
  }

  /**
   * Which set of keys is held: it changes with every successful fetch, so that a verified token kept in a cache
   * ({@link VerifiedTokens}) is verified again once the keys were fetched anew (a key the provider retired stops its
   * tokens at once, not only when the cache entry expires).
   */
  long generation() {
    return generation;
  }

  /** The keys that may have signed a token with {@code header}, fetching them when needed. */
  List<JWK> candidates(JWSHeader header) throws AuthenticationException {
    JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
    Snapshot seen = current;
    if (seen != null && seen.fetched.plus(MAX_AGE).isAfter(clock.instant())) {
      List<JWK> keys = selector.select(seen.keys);
      if (!keys.isEmpty()) {
        return keys;
      }
    }
    Snapshot after = refresh(seen);
    if (after == null) {
      throw new AuthenticationException(AuthFailure.KEYS_UNAVAILABLE, "the identity provider's keys are not available "
          + "yet (its JWKS could not be fetched); try again shortly");
    }
    List<JWK> keys = selector.select(after.keys);
    if (keys.isEmpty()) {
      throw new AuthenticationException(AuthFailure.UNKNOWN_KEY, "bearer token is signed with a key (kid) that is not "
          + "in the identity provider's JWKS");
    }
    return keys;
  }

  /**
   * Fetches the keys unless someone did since {@code seen} was read, or the last attempt is more recent than the
   * refresh interval; returns the newest snapshot (possibly {@code null}: never fetched).
   */
  private Snapshot refresh(Snapshot seen) {
    try {
      // a provider that hangs holds the lock for at most two fetches: waiters give up after that
      if (!lock.tryLock(TIMEOUT.toMillis() * 5, TimeUnit.MILLISECONDS)) {
        return current;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return current;
    }
    try {
      Snapshot now = current;
      if (now != seen) {
        return now; // another request fetched while this one waited: single flight
      }
      Instant t = clock.instant();
      if (lastAttempt != null && lastAttempt.plus(refreshInterval).isAfter(t)) {
        return now; // rate-limited
      }
      lastAttempt = t;
      try {
        JWKSet keys = JWKSet.parse(get(jwksUrl()));
        current = new Snapshot(keys.toPublicJWKSet(), t);
        generation++; // only ever written under the lock
        LOG.info("fetched {} signing key(s) of identity provider {}", keys.getKeys().size(), issuer);
      } catch (IOException | ParseException | RuntimeException e) {
        LOG.warn("cannot fetch the signing keys of identity provider {}: {}", issuer, e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())));
      }
      return current;
    } finally {
      lock.unlock();
    }
  }

  /** The JWKS URL: configured, or from the issuer's discovery document (fetched once it answers). */
  private URI jwksUrl() throws IOException {
    if (jwksUrl != null) {
      return jwksUrl;
    }
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    JsonNode doc = JSON.readTree(get(URI.create(base + "/.well-known/openid-configuration")));
    if (!issuer.equals(doc.path("issuer").asText())) {
      throw new IOException("discovery document names another issuer");
    }
    String uri = doc.path("jwks_uri").asText("");
    // http only where the issuer itself is (a loopback address, as the settings allow)
    if (!uri.startsWith("https://") && !(uri.startsWith("http://") && issuer.startsWith("http://"))) {
      throw new IOException("discovery document has no https jwks_uri");
    }
    jwksUrl = URI.create(uri);
    return jwksUrl;
  }

  /** The body of a 200 answer, within {@link #TIMEOUT} twice over (headers, then body) and {@link #MAX_BYTES}. */
  private String get(URI uri) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
    CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, info -> new LimitedBody(MAX_BYTES));
    HttpResponse<byte[]> response;
    try {
      response = pending.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new IOException("no complete answer within " + TIMEOUT.multipliedBy(2).toSeconds() + " s from " + uri);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause() == null ? "failed" : e.getCause().getClass().getSimpleName()
          + (e.getCause().getMessage() == null ? "" : ": " + e.getCause().getMessage()));
    }
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " from " + uri);
    }
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** Collects a body of at most {@code limit} bytes; fails (and stops reading) beyond. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        if (out.size() + b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new IOException("more than " + limit + " bytes"));
          return;
        }
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.writeBytes(bytes);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse("");
  }
}
