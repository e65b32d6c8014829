package dev.mcpgw.gateway.plugin.pii;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgw.gateway.auth.Caller;
import dev.mcpgw.gateway.plugin.Hook;
import dev.mcpgw.gateway.plugin.HookContext;
import dev.mcpgw.gateway.plugin.Plugin;
import dev.mcpgw.gateway.plugin.PluginConfig;
import dev.mcpgw.gateway.plugin.PluginOptions;
import dev.mcpgw.gateway.plugin.PluginResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PiiFilterPluginTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HookContext ALICE = new HookContext(new Caller("alice", "acme", false), "r", null);

  static Plugin filter(String yaml) throws Exception {
    return new PiiFilterProvider().create(PluginConfig.builder("pii", PiiFilterProvider.KIND).build(),
        PluginOptions.of("plugins[0].config", new ObjectMapper(new YAMLFactory()).readTree(yaml)));
  }

  static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }

  /** The payload after the filter ran at {@code hook}, the same instance when nothing was masked. */
  static JsonNode run(Plugin p, Hook hook, ObjectNode payload) {
    PluginResult r = p.apply(hook, ALICE, payload);
    return r instanceof PluginResult.Modified m ? m.payload() : payload;
  }

  static String maskArgument(Plugin p, String value) {
    ObjectNode payload = JSON.createObjectNode().put("name", "t");
    payload.putObject("arguments").put("v", value);
    return run(p, Hook.TOOL_PRE_INVOKE, payload).at("/arguments/v").asText();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "mail bob.smith+x@mail.example.co.uk now|mail [REDACTED] now",
      "ssn 123-45-6789.|ssn [REDACTED].",
      "visa 4111 1111 1111 1111 exp|visa [REDACTED] exp",
      "visa 4111-1111-1111-1111|visa [REDACTED]",
      "plain 4111111111111111 and cvv 123|plain [REDACTED] and cvv 123",
      "amex 3782 822463 10005|amex [REDACTED]",
      "mc 5555555555554444|mc [REDACTED]",
      "call (555) 123-4567 or 555.123.4567|call [REDACTED] or [REDACTED]",
      "intl +44 20 7946 0958|intl [REDACTED]",
      "us +1 415-555-2671|us [REDACTED]",
      "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl|Authorization: [REDACTED]",
      "key sk-proj-abcdefghijklmnopqrstuv|key [REDACTED]",
      "header Basic dXNlcjpwYXNzd29yZA== sent|header [REDACTED] sent",
      "aws AKIAIOSFODNN7EXAMPLE|aws [REDACTED]",
      "gh ghp_abcdefghijklmnopqrstuvwxyz0123456789|gh [REDACTED]",
      "db password=hunter2 user=bob|db password=[REDACTED] user=bob",
      "cfg {\"api_key\": \"abc123\"}|cfg {\"api_key\": \"[REDACTED]\"}"})
  void masksEachKindOfSensitiveText(String input, String expected) throws Exception {
    assertThat(maskArgument(filter("{}"), input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "visa-like 4111 1111 1111 1112",
      "order 1234567890123",
      "date 2024-01-15 and version 1.2.3",
      "ssn-like 000-12-3456 and 666-12-3456",
      "max_tokens=512 and token_count: 3",
      "release v12.345.6789x",
      "short 555-1234",
      "price 12,345,678.90"})
  void leavesLookalikesAloneIncludingLuhnNegatives(String input) throws Exception {
    assertThat(maskArgument(filter("{}"), input)).isEqualTo(input);
  }

  @Test
  void masksNestedArgumentsArraysAndSensitiveKeysAtAnyDepth() throws Exception {
    ObjectNode payload = json("""
        {"name": "crm-update", "arguments": {
          "contact": {"email": "ann@example.com", "phones": ["555-123-4567", "n/a"],
                      "notes": [{"text": "ssn 123-45-6789"}, 42, true, null]},
          "auth": {"db_password": "hunter2", "API-Key": {"value": "x"}, "githubToken": 12345},
          "max_tokens": 256,
          "query": "nothing to see"}}
        """);

    JsonNode out = run(filter("{}"), Hook.TOOL_PRE_INVOKE, payload);

    assertThat(out).isEqualTo(json("""
        {"name": "crm-update", "arguments": {
          "contact": {"email": "[REDACTED]", "phones": ["[REDACTED]", "n/a"],
                      "notes": [{"text": "ssn [REDACTED]"}, 42, true, null]},
          "auth": {"db_password": "[REDACTED]", "API-Key": "[REDACTED]", "githubToken": "[REDACTED]"},
          "max_tokens": 256,
          "query": "nothing to see"}}
        """));
  }

  @Test
  void masksTheTextOfToolResultsButNotTheirOtherFields() throws Exception {
    ObjectNode payload = json("""
        {"name": "lookup", "arguments": {"id": "ann@example.com"}, "result": {
          "content": [
            {"type": "text", "text": "Ann: ann@example.com, card 4111111111111111"},
            {"type": "image", "data": "bob@example.com", "mimeType": "image/png"},
            {"type": "resource", "resource": {"uri": "mailto:bob@example.com", "text": "bob@example.com"}}],
          "structuredContent": {"people": [{"mail": "ann@example.com"}]},
          "isError": false}}
        """);

    JsonNode out = run(filter("{}"), Hook.TOOL_POST_INVOKE, payload);

    assertThat(out.at("/result/content/0/text").asText()).isEqualTo("Ann: [REDACTED], card [REDACTED]");
    assertThat(out.at("/result/content/1/data").asText()).isEqualTo("bob@example.com");
    assertThat(out.at("/result/content/2/resource/uri").asText()).isEqualTo("mailto:bob@example.com");
    assertThat(out.at("/result/content/2/resource/text").asText()).isEqualTo("[REDACTED]");
    assertThat(out.at("/result/structuredContent/people/0/mail").asText()).isEqualTo("[REDACTED]");
    assertThat(out.at("/arguments/id").asText()).as("post hooks leave the arguments").isEqualTo("ann@example.com");
  }

  @Test
  void masksPromptMessagesAndResourceContents() throws Exception {
    Plugin p = filter("{}");
    ObjectNode prompt = json("""
        {"name": "greet", "arguments": {"who": "ann@example.com"}, "result": {"messages": [
          {"role": "user", "content": {"type": "text", "text": "write to ann@example.com"}}]}}
        """);
    ObjectNode resource = json("""
        {"uri": "file:///people.csv", "result": {"contents": [
          {"uri": "file:///people.csv", "mimeType": "text/csv", "text": "ann,123-45-6789"}]}}
        """);
    ObjectNode promptArgs = json("{\"name\": \"greet\", \"arguments\": {\"who\": \"ann@example.com\"}}");

    assertThat(run(p, Hook.PROMPT_POST_FETCH, prompt).at("/result/messages/0/content/text").asText())
        .isEqualTo("write to [REDACTED]");
    assertThat(run(p, Hook.RESOURCE_POST_FETCH, resource).at("/result/contents/0/text").asText())
        .isEqualTo("ann,[REDACTED]");
    assertThat(run(p, Hook.PROMPT_PRE_FETCH, promptArgs).at("/arguments/who").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void reportsNoModificationWhenNothingIsSensitive() throws Exception {
    ObjectNode payload = json("{\"name\": \"t\", \"arguments\": {\"q\": \"weather in Paris\", \"n\": [1, 2]}}");

    assertThat(filter("{}").apply(Hook.TOOL_PRE_INVOKE, ALICE, payload)).isEqualTo(PluginResult.proceed());
  }

  @Test
  void replacementDetectorsKeysAndExtraPatternsAreConfigurable() throws Exception {
    Plugin p = filter("""
        detect: [email]
        sensitive_keys: [pin]
        replacement: "<{type}>"
        patterns:
          - name: employee_id
            regex: 'EMP-\\d{6}'
          - name: ticket
            regex: 'TKT-\\d+'
            replacement: '#'
        """);
    ObjectNode payload = json("""
        {"name": "t", "arguments": {"q": "ann@example.com EMP-123456 TKT-9 123-45-6789",
                                    "card_pin": 1234, "password": "kept: not a configured key"}}
        """);

    JsonNode out = run(p, Hook.TOOL_PRE_INVOKE, payload);

    assertThat(out.at("/arguments/q").asText()).isEqualTo("<email> <employee_id> # 123-45-6789");
    assertThat(out.at("/arguments/card_pin").asText()).isEqualTo("<sensitive_key>");
    assertThat(out.at("/arguments/password").asText()).isEqualTo("kept: not a configured key");
  }

  @Test
  void argumentsGivenAsOneStringAreMaskedToo() throws Exception {
    ObjectNode payload = JSON.createObjectNode().put("name", "t").put("arguments", "mail ann@example.com");

    assertThat(run(filter("{}"), Hook.TOOL_PRE_INVOKE, payload).get("arguments").asText())
        .isEqualTo("mail [REDACTED]");
  }

  @Test
  void cardPreCheckCountsDigitsAcrossSingleSeparatorsOnly() {
    assertThat(Detectors.longestNumber("4111 1111 1111 1111")).isEqualTo(16);
    assertThat(Detectors.longestNumber("3782-822463-10005 x")).isEqualTo(15);
    assertThat(Detectors.longestNumber("+44 20 7946 0958, since 2019")).isEqualTo(12);
    assertThat(Detectors.longestNumber("12  34, 56-")).isEqualTo(2);
    assertThat(Detectors.longestNumber("no digits")).isZero();
  }

  @Test
  void luhnAcceptsRealTestNumbersAndRejectsOffByOne() {
    assertThat(Luhn.isValid("4111111111111111")).isTrue();
    assertThat(Luhn.isValid("4111 1111 1111 1111")).isTrue();
    assertThat(Luhn.isValid("378282246310005")).isTrue();
    assertThat(Luhn.isValid("4111111111111112")).isFalse();
    assertThat(Luhn.isValid("0000000000")).as("too short").isFalse();
  }
}
