package dev.mcpgw.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.mcpgw.gateway.config.GatewaySettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TokenCounter o200k = TokenCounter.create("o200k_base");

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void countsWithTheRealTokenizerOfTheConfiguredEncoding() {
    assertThat(o200k.count("hello world")).isEqualTo(2);
    assertThat(o200k.count("")).isZero();
    assertThat(o200k.count(null)).isZero();
    // the same text is cut differently by another encoding: the setting matters
    String text = "Ünïcödé tokenization differs between encodings: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and 中文文本";
    assertThat(TokenCounter.create("r50k_base").count(text)).isNotEqualTo(o200k.count(text));
  }

  @Test
  void everyEncodingCountsExactlyAsJtokkitDoes() {
    // o200k_base is counted by the gateway's own O200kCounter (O200kCounterTest has the corpus), the others by jtokkit
    EncodingRegistry jtokkit = Encodings.newLazyEncodingRegistry();
    List<String> texts = List.of("hello world", "I'm here, you're THERE!\r\n\tx = 12345;",
        "{\"query\":\"Ünïcödé 中文 😀👍🏽\",\"n\":[1,22,333]}", "ǅemal'S  \u00A0 ABʰCD\u0301 \n\n  end  ");
    for (String encoding : TokenCounter.encodings()) {
      TokenCounter counter = TokenCounter.create(encoding);
      for (String text : texts) {
        assertThat(counter.count(text)).as(encoding + ": " + text)
            .isEqualTo(jtokkit.getEncoding(EncodingType.fromName(encoding).orElseThrow()).countTokensOrdinary(text));
      }
    }
  }

  @Test
  void argumentsAreCountedAsTheJsonTheModelWrote() throws Exception {
    JsonNode arguments = json("{\"message\":\"hello world\"}");
    assertThat(o200k.arguments(arguments)).isEqualTo(o200k.count("{\"message\":\"hello world\"}"));
    assertThat(o200k.arguments(null)).isZero();
  }

  @Test
  void aResultIsCountedAsTheTextThatLandsInTheModelsContext() throws Exception {
    assertThat(o200k.result(json("{\"content\":[{\"type\":\"text\",\"text\":\"hello world\"},"
        + "{\"type\":\"image\",\"data\":\"iVBORw0KGgo=\",\"mimeType\":\"image/png\"},"
        + "{\"type\":\"resource\",\"resource\":{\"uri\":\"a://b\",\"text\":\"hello world\"}}]}"))).isEqualTo(4);
    assertThat(o200k.result(json("{\"content\":[],\"structuredContent\":{\"n\":1}}")))
        .isEqualTo(o200k.count("{\"n\":1}"));
    assertThat(o200k.result(json("{\"other\":\"hello\"}"))).isEqualTo(o200k.count("{\"other\":\"hello\"}"));
  }

  @Test
  void anUnknownEncodingIsRefusedNamingTheAllowedOnes() {
    assertThatThrownBy(() -> TokenCounter.create("gpt2000")).hasMessageContaining("gpt2000")
        .hasMessageContaining("o200k_base");
  }

  @Test
  void theSettingsAllowExactlyTheEncodingsTheTokenizerKnows() {
    assertThat(GatewaySettings.Usage.TOKEN_ENCODINGS).containsExactlyInAnyOrderElementsOf(TokenCounter.encodings());
    assertThat(GatewaySettings.Usage.DEFAULTS.tokenEncoding()).isEqualTo(TokenCounter.DEFAULT_ENCODING);
  }
}
