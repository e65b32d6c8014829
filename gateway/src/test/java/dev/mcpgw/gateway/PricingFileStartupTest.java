package dev.mcpgw.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mcpgw.gateway.config.GatewaySettings;
import dev.mcpgw.gateway.config.InvalidSettingException;
import dev.mcpgw.gateway.federation.ScriptedUpstreamPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong {@code MCPGW_PRICING_FILE} stops start-up with a message naming the setting, the file and the key. */
class PricingFileStartupTest {
  @TempDir Path tmp;

  @Test
  void aPricingFileWithAWrongKeyStopsStartUpNamingTheFileAndTheKey() throws Exception {
    Path file = tmp.resolve("pricing.yaml");
    Files.writeString(file, "default_model: gpt-4.1\nmodels:\n  gpt-4.1:\n    input_per_million: 2\n"
        + "    ouput_per_million: 8\n");
    GatewaySettings settings = TestGateway.settings(tmp,
        new GatewaySettings.Database("jdbc:sqlite:" + tmp.resolve("reg.db"), null, null, 2),
        Map.of("MCPGW_PRICING_FILE", file.toString()));

    assertThatThrownBy(() -> TestGateway.start(settings, new ScriptedUpstreamPool()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("MCPGW_PRICING_FILE").hasMessageContaining(file.toString())
        .hasMessageContaining("models.gpt-4.1.ouput_per_million");
  }
}
