package dev.mcpgw.observability.export.resilient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.observability.export.resilient.CircuitBreaker.State;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final TestClock clock = TestClock.create();
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30).toNanos(), clock);

  @Test
  void staysClosedBelowTheThresholdAndASuccessResetsTheCount() {
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void opensAtTheThresholdAndRefusesUntilTheOpenDurationPassed() {
    failThreeTimes();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.openings()).isEqualTo(1);
  }

  @Test
  void halfOpenLetsExactlyOneTrialThroughAndItsSuccessCloses() {
    failThreeTimes();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void failedTrialReopensForAnotherFullOpenDuration() {
    failThreeTimes();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.openings()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire()).isTrue();
  }

  private void failThreeTimes() {
    for (int i = 0; i < 3; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure();
    }
  }
}
