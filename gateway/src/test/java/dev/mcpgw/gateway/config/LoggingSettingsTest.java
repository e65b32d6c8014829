package dev.mcpgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggingSettingsTest {
  @TempDir Path tmp;

  @Test
  void humanLinesWithoutAccessLogByDefault() {
    assertThat(SettingsLoader.load(Map.of(), tmp).logging()).isEqualTo(GatewaySettings.Logging.DEFAULTS);
    assertThat(GatewaySettings.Logging.DEFAULTS.format()).isEqualTo(GatewaySettings.Logging.Format.TEXT);
    assertThat(GatewaySettings.Logging.DEFAULTS.accessLog()).isFalse();
  }

  @Test
  void theYamlKeysPickJsonAndTheAccessLogAndTheEnvironmentWins() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/mcpgw.yaml"), "log_format: JSON\naccess_log: true\n");

    GatewaySettings.Logging fromYaml = SettingsLoader.load(Map.of(), tmp).logging();
    assertThat(fromYaml).isEqualTo(new GatewaySettings.Logging(GatewaySettings.Logging.Format.JSON, true));
    assertThat(SettingsLoader.load(Map.of("MCPGW_LOG_FORMAT", "text"), tmp).logging().format())
        .isEqualTo(GatewaySettings.Logging.Format.TEXT);
  }

  @Test
  void anUnknownFormatFailsNamingTheKey() {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_LOG_FORMAT", "xml"), tmp))
        .isInstanceOfSatisfying(InvalidSettingException.class,
            e -> assertThat(e.getMessage()).contains("MCPGW_LOG_FORMAT").contains("text or json"));
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MCPGW_ACCESS_LOG", "sometimes"), tmp))
        .hasMessageContaining("MCPGW_ACCESS_LOG");
  }
}
