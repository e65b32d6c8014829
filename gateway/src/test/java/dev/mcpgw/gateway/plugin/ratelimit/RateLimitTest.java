package dev.mcpgw.gateway.plugin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitTest {

  @Test
  void parsesCallsPerWindowWithOrWithoutACount() {
    assertThat(RateLimit.parse("k", "10/1s")).isEqualTo(new RateLimit(10, Duration.ofSeconds(1)));
    assertThat(RateLimit.parse("k", " 100 / 5m ")).isEqualTo(new RateLimit(100, Duration.ofMinutes(5)));
    assertThat(RateLimit.parse("k", "5/s")).isEqualTo(new RateLimit(5, Duration.ofSeconds(1)));
    assertThat(RateLimit.parse("k", "7/ms")).isEqualTo(new RateLimit(7, Duration.ofMillis(1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "ten/1s", "0/1s", "-1/1s", "10/0s", "10/", "/1s", "1000000000/1d"})
  void refusesAnythingElseNamingTheKey(String value) {
    assertThatThrownBy(() -> RateLimit.parse("plugins[0].config.limit", value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("plugins[0].config.limit: '");
  }
}
