package dev.mcpgw.observability.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationGrammarTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      MCPGW_SESSION_IDLE_TIMEOUT  | 500ms  | PT0.5S
      MCPGW_SESSION_IDLE_TIMEOUT  | 30s    | PT30S
      MCPGW_SESSION_IDLE_TIMEOUT  | 5m     | PT5M
      MCPGW_SESSION_IDLE_TIMEOUT  | 1H     | PT1H
      MCPGW_SESSION_IDLE_TIMEOUT  | 2d     | PT48H
      MCPGW_SESSION_IDLE_TIMEOUT  | ' 15 s ' | PT15S
      MCPGW_SESSION_IDLE_TIMEOUT  | PT30S  | PT30S
      MCPGW_SESSION_IDLE_TIMEOUT  | p1d    | PT24H
      observability.tracing.batch.schedule_delay | 2d | PT48H
      OTEL_BSP_SCHEDULE_DELAY     | 5000   | PT5S
      OTEL_BSP_SCHEDULE_DELAY     | 0      | PT0S
      OTEL_BSP_SCHEDULE_DELAY     | 5s     | PT5S
      OTEL_BSP_SCHEDULE_DELAY     | PT1M   | PT1M
      """)
  void everySettingReadsTheSameUnitsAndABareNumberIsMillisecondsOnlyForOtelVariables(String key, String value,
      String expected) {
    assertThat(DurationGrammar.parse(key, value)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      MCPGW_SESSION_IDLE_TIMEOUT                 | 60    | with a unit
      observability.tracing.batch.schedule_delay | 60    | with a unit
      MCPGW_SESSION_IDLE_TIMEOUT                 | soon  | with a unit
      MCPGW_SESSION_IDLE_TIMEOUT                 | -5s   | with a unit
      MCPGW_SESSION_IDLE_TIMEOUT                 | PT-5S | with a unit
      MCPGW_SESSION_IDLE_TIMEOUT                 | 99999999999999999999s | with a unit
      OTEL_BSP_SCHEDULE_DELAY                    | ten   | whole milliseconds
      OTEL_BSP_SCHEDULE_DELAY                    | -1    | whole milliseconds
      """)
  void aValueOutsideTheGrammarIsRefusedSayingWhatTheKeyAccepts(String key, String value, String expected) {
    assertThatThrownBy(() -> DurationGrammar.parse(key, value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + value + "'").hasMessageContaining(expected);
  }

  @ParameterizedTest
  @CsvSource({"MCPGW_HEALTH_CHECK_INTERVAL, 0s", "OTEL_EXPORTER_OTLP_TIMEOUT, 0", "MCPGW_HEADER_TIMEOUT, PT0S"})
  void zeroIsADurationButNotAPositiveOne(String key, String value) {
    assertThat(DurationGrammar.parse(key, value)).isZero();
    assertThatThrownBy(() -> DurationGrammar.parsePositive(key, value)).hasMessageContaining("a positive duration");
  }
}
