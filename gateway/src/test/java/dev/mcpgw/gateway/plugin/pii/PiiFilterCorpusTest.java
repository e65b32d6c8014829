package dev.mcpgw.gateway.plugin.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PII filter over a corpus of whole payloads ({@code corpus.json}): nested arguments, arrays, tool results,
 * prompt messages and resource contents, with look-alikes that must stay as they are. {@code expected: null} means
 * the filter must report no modification.
 */
class PiiFilterCorpusTest {

  static List<Arguments> corpus() throws IOException {
    try (InputStream in = PiiFilterCorpusTest.class.getResourceAsStream("corpus.json")) {
      JsonNode cases = PiiFilterPluginTest.JSON.readTree(in);
      return StreamSupport.stream(cases.spliterator(), false)
          .map(c -> Arguments.of(Named.of(c.get("case").asText(), c)))
          .toList();
    }
  }

  private static Hook hook(String configName) {
    return Arrays.stream(Hook.values()).filter(h -> h.configName().equals(configName)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void masksTheCorpusAsDocumented(JsonNode testCase) throws Exception {
    Plugin filter = PiiFilterPluginTest.filter("{replacement: '[REDACTED:{type}]'}");
    // The chain hands a plugin that modifies payloads its own copy; so does this test.
    ObjectNode payload = (ObjectNode) testCase.get("payload").deepCopy();
    JsonNode expected = testCase.get("expected");

    PluginResult result = filter.apply(hook(testCase.get("hook").asText()), PiiFilterPluginTest.ALICE, payload);

    if (expected.isNull()) {
      assertThat(result).isEqualTo(PluginResult.proceed());
    } else {
      assertThat(result).isInstanceOf(PluginResult.Modified.class);
      assertThat(((PluginResult.Modified) result).payload()).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "The bearer of bad news; bearer authentication is described in RFC 6750",
      "Use Basic Authentication or Bearer Authorization schemes",
      "pi is 3.4111111111111111 and e is 2.4242424242424242",
      "ratio 0.37828224631000500"
  })
  void leavesProseAboutSchemesAndDecimalFractionsAlone(String text) throws Exception {
    assertThat(PiiFilterPluginTest.maskArgument(PiiFilterPluginTest.filter("{}"), text)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Authorization Bearer abcdefghijklmnop1",
      "Bearer abcdefghIJKLMNOP",
      "basic dXNlcjpwYXNzd29yZA==",
      "token glpat-abcdefghij0123456789"
  })
  void stillMasksRealCredentials(String text) throws Exception {
    assertThat(PiiFilterPluginTest.maskArgument(PiiFilterPluginTest.filter("{}"), text)).contains("[REDACTED]");
  }
}
