package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderKeysTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private final MovableClock clock = new MovableClock();
  private RSAKey first;
  private KeyServer idp;

  @BeforeEach
  void start() throws Exception {
    first = new RSAKeyGenerator(2048).keyID("k1").algorithm(JWSAlgorithm.RS256).generate();
    idp = new KeyServer(new JWKSet(first));
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private ProviderKeys keys(boolean discover) {
    return new ProviderKeys(idp.issuer(), discover ? null : idp.jwks(), INTERVAL, HttpClient.newHttpClient(), clock);
  }

  private static JWSHeader kid(String kid) {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build();
  }

  @Test
  void keysAreFoundThroughDiscoveryAndFetchedOnce() throws Exception {
    ProviderKeys keys = keys(true);

    for (int i = 0; i < 5; i++) {
      assertThat(keys.candidates(kid("k1"))).extracting(JWK::getKeyID).containsExactly("k1");
    }
    assertThat(idp.discoveryFetches).hasValue(1);
    assertThat(idp.jwksFetches).hasValue(1);
  }

  @Test
  void aFloodOfMadeUpKidsCostsTheProviderAtMostOneFetchPerInterval() throws Exception {
    ProviderKeys keys = keys(false);
    keys.candidates(kid("k1"));

    for (int i = 0; i < 200; i++) {
      String made = "made-up-" + i;
      assertThatThrownBy(() -> keys.candidates(kid(made))).isInstanceOfSatisfying(AuthenticationException.class,
          e -> assertThat(e.failure()).isEqualTo(AuthFailure.UNKNOWN_KEY));
    }
    assertThat(idp.jwksFetches).hasValue(1);
    clock.advance(INTERVAL.plusSeconds(1));
    assertThatThrownBy(() -> keys.candidates(kid("made-up-again"))).isInstanceOf(AuthenticationException.class);
    assertThat(idp.jwksFetches).hasValue(2);
  }

  @Test
  void anUnknownKidAfterARotationFetchesTheNewKeys() throws Exception {
    ProviderKeys keys = keys(false);
    keys.candidates(kid("k1"));
    RSAKey second = new RSAKeyGenerator(2048).keyID("k2").algorithm(JWSAlgorithm.RS256).generate();
    idp.keys(new JWKSet(second));
    clock.advance(INTERVAL.plusSeconds(1));

    assertThat(keys.candidates(kid("k2"))).extracting(JWK::getKeyID).containsExactly("k2");
    assertThat(idp.jwksFetches).hasValue(2);
  }

  @Test
  void aProviderThatIsDownRefusesWithKeysUnavailableUntilItAnswers() throws Exception {
    idp.down(true);
    ProviderKeys keys = keys(true);

    assertThatThrownBy(() -> keys.candidates(kid("k1"))).isInstanceOfSatisfying(AuthenticationException.class,
        e -> assertThat(e.failure()).isEqualTo(AuthFailure.KEYS_UNAVAILABLE));
    assertThatThrownBy(() -> keys.candidates(kid("k1"))).isInstanceOf(AuthenticationException.class);
    assertThat(idp.discoveryFetches).as("rate-limited while down").hasValue(1);

    idp.down(false);
    clock.advance(INTERVAL.plusSeconds(1));
    assertThat(keys.candidates(kid("k1"))).extracting(JWK::getKeyID).containsExactly("k1");
  }

  @Test
  void anOversizedOrGarbledJwksIsRefusedAsKeysUnavailable() {
    ProviderKeys keys = keys(false);
    idp.jwksBody("{\"keys\":[" + " ".repeat(ProviderKeys.MAX_BYTES) + "]}");

    assertThatThrownBy(() -> keys.candidates(kid("k1"))).isInstanceOfSatisfying(AuthenticationException.class,
        e -> assertThat(e.failure()).isEqualTo(AuthFailure.KEYS_UNAVAILABLE));

    idp.jwksBody("not json");
    clock.advance(INTERVAL.plusSeconds(1));
    assertThatThrownBy(() -> keys.candidates(kid("k1"))).isInstanceOfSatisfying(AuthenticationException.class,
        e -> assertThat(e.failure()).isEqualTo(AuthFailure.KEYS_UNAVAILABLE));
  }

  @Test
  void keysOlderThanTheirMaximumAgeAreFetchedAgain() throws Exception {
    ProviderKeys keys = keys(false);
    keys.candidates(kid("k1"));
    clock.advance(ProviderKeys.MAX_AGE.plusSeconds(1));

    keys.candidates(kid("k1"));

    assertThat(idp.jwksFetches).hasValue(2);
  }

  /** A clock the test moves forward. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-06T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
