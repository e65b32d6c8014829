package dev.mcpgw.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mcpgw.gateway.config.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingTest {
  static final Path EXAMPLE = Path.of("..", "config", "pricing.example.yaml");

  @TempDir Path tmp;

  @Test
  void theShippedExampleLoadsWithADefaultModelAndATenantDefault() {
    Pricing p = Pricing.load(EXAMPLE);
    assertThat(p.currency()).isEqualTo("USD");
    assertThat(p.model("globex", null)).isEqualTo("gpt-4.1-mini");
    assertThat(p.model("acme", null)).isEqualTo("claude-sonnet-4.5");
    assertThat(p.model("acme", "gpt-4o")).as("baggage wins over the tenant's default").isEqualTo("gpt-4o");
  }

  @Test
  void aToolCallIsPricedAsATurnOfItsModelArgumentsOutputResultInput() {
    Pricing p = Pricing.load(EXAMPLE);
    // gpt-4.1: 2.00 input, 8.00 output per million
    assertThat(p.toolCallCost("gpt-4.1", 1_000, 10_000)).isCloseTo(1_000 * 8e-6 + 10_000 * 2e-6, within(1e-12));
    assertThat(p.cost("claude-opus-4.1", 1_000_000, 0)).isCloseTo(15.0, within(1e-9));
  }

  @Test
  void anUnpricedModelCostsNothingAndNoFileCostsNothing() {
    assertThat(Pricing.load(EXAMPLE).cost("my-own-model", 1000, 1000)).isZero();
    assertThat(Pricing.load(null)).isSameAs(Pricing.NONE);
    assertThat(Pricing.NONE.model("acme", null)).isEqualTo(Pricing.UNKNOWN_MODEL);
    assertThat(Pricing.NONE.cost(Pricing.UNKNOWN_MODEL, 1000, 1000)).isZero();
  }

  @Test
  void aBadFileFailsNamingTheSettingTheFileAndTheKey() throws Exception {
    Path file = tmp.resolve("p.yaml");
    Files.writeString(file, "models:\n  m:\n    input_per_million: 1\n    output_per_million: -2\n");
    assertThatThrownBy(() -> Pricing.load(file)).isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("MCPGW_PRICING_FILE").hasMessageContaining(file.toString())
        .hasMessageContaining("models.m.output_per_million");

    Files.writeString(file, "default_model: nope\nmodels:\n  m:\n    input_per_million: 1\n    output_per_million: 2\n");
    assertThatThrownBy(() -> Pricing.load(file)).hasMessageContaining("'default_model'").hasMessageContaining("nope");

    Files.writeString(file, "models:\n  m:\n    input: 1\n    output_per_million: 2\n");
    assertThatThrownBy(() -> Pricing.load(file)).hasMessageContaining("'models.m.input' is not a known key");

    Files.writeString(file, "currency: USD\nmodels:\n  m:\n    input_per_million: 1\n    output_per_million: 2\n"
        + "    currency: EUR\n");
    assertThatThrownBy(() -> Pricing.load(file)).hasMessageContaining("models.m.currency");

    assertThatThrownBy(() -> Pricing.load(tmp.resolve("missing.yaml"))).isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("missing.yaml");
  }
}
