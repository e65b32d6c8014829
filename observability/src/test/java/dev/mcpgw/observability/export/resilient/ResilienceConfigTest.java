package dev.mcpgw.observability.export.resilient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.observability.config.ExportResilienceConfig;
import dev.mcpgw.observability.config.ObservabilityConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResilienceConfigTest {

  private static final Path DIR = Path.of("buffer");

  @Test
  void defaultsAreValid() {
    ResilienceConfig config = ResilienceConfig.create(DIR);
    assertThat(config.failureThreshold()).isEqualTo(3);
    assertThat(config.maxDiskBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(config.summaryInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.withBufferDir(Path.of("other")).bufferDir()).isEqualTo(Path.of("other"));
  }

  @Test
  void configuredSettingsOverrideTheDefaultsAndTheDefaultDirectoryAppliesOnlyWhenNoneIsConfigured() {
    ExportResilienceConfig configured = new ExportResilienceConfig(7, Duration.ofMinutes(1), null, 1L << 20,
        Duration.ofHours(2));

    ResilienceConfig config = ResilienceConfig.from(configured, DIR);

    assertThat(config.failureThreshold()).isEqualTo(7);
    assertThat(config.openDuration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.maxDiskBytes()).isEqualTo(1L << 20);
    assertThat(config.maxBufferAge()).isEqualTo(Duration.ofHours(2));
    assertThat(config.bufferDir()).isEqualTo(DIR);
    assertThat(config.replayInterval()).isEqualTo(ResilienceConfig.create(DIR).replayInterval());
    assertThat(ResilienceConfig.from(new ExportResilienceConfig(7, Duration.ofMinutes(1), Path.of("mine"), 1L << 20,
        Duration.ofHours(2)), DIR).bufferDir()).isEqualTo(Path.of("mine"));
    assertThat(ResilienceConfig.from(ExportResilienceConfig.defaults(), DIR))
        .isEqualTo(ResilienceConfig.create(DIR));
  }

  @Test
  void rejectsAZeroFailureThresholdNamingTheField() {
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).failureThreshold(0).build())
        .isInstanceOf(ObservabilityConfigException.class).hasMessageContaining("resilience.failure_threshold");
  }

  @Test
  void rejectsAMissingBufferDirectoryNamingTheField() {
    assertThatThrownBy(() -> ResilienceConfig.create(null))
        .isInstanceOf(ObservabilityConfigException.class).hasMessageContaining("resilience.buffer_dir");
  }

  @Test
  void rejectsDiskBudgetsOutsideTheLibrarysRange() {
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).maxDiskBytes(1024).build())
        .hasMessageContaining("resilience.max_disk_bytes").hasMessageContaining("65536");
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).maxDiskBytes(3L * 1024 * 1024 * 1024).build())
        .hasMessageContaining("resilience.max_disk_bytes");
  }

  @Test
  void rejectsNonPositiveDurationsNamingEachField() {
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).openDuration(Duration.ZERO).build())
        .hasMessageContaining("resilience.open_duration");
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).replayInterval(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("resilience.replay_interval");
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).summaryInterval(null).build())
        .hasMessageContaining("resilience.summary_interval");
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).shutdownTimeout(Duration.ZERO).build())
        .hasMessageContaining("resilience.shutdown_timeout");
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).exportTimeout(Duration.ZERO).build())
        .hasMessageContaining("resilience.export_timeout");
  }

  @Test
  void rejectsABufferAgeShorterThanTwoFileAges() {
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).fileAge(Duration.ofMinutes(1))
        .maxBufferAge(Duration.ofSeconds(90)).build())
        .hasMessageContaining("resilience.max_buffer_age").hasMessageContaining("resilience.file_age");
    assertThatThrownBy(() -> ResilienceConfig.builder(DIR).replayBatchesPerRound(0).build())
        .hasMessageContaining("resilience.replay_batches_per_round");
  }
}
