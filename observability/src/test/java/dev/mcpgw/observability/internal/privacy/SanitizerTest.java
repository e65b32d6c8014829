package dev.mcpgw.observability.internal.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgw.observability.config.ObservabilityConfig;
import dev.mcpgw.observability.config.PrivacyConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A corpus of secrets and personal data, each of which must not survive; and ordinary values that must. */
class SanitizerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Sanitizer sanitizer = Sanitizer.create(ObservabilityConfig.defaults().privacy());

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      contact me at jane.doe+work@example.co.uk please     | jane.doe+work@example.co.uk | [EMAIL]
      ssn 123-45-6789 on file                              | 123-45-6789                 | [SSN]
      card 4111111111111111 charged                        | 4111111111111111            | [CARD]
      card 4111 1111 1111 1111 charged                     | 4111 1111 1111 1111         | [CARD]
      amex 378282246310005                                 | 378282246310005             | [CARD]
      mastercard 5555-5555-5555-4444                       | 5555-5555-5555-4444         | [CARD]
      Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_abc | eyJhbGciOiJIUzI1NiJ9 | Bearer [TOKEN]
      bearer abcdef0123456789abcdef                        | abcdef0123456789abcdef      | Bearer [TOKEN]
      token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl | eyJzdWIiOiIxIn0          | [JWT]
      using key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx           | sk-proj-AbCdEfGhIjKlMnOpQrStUvWx | [API_KEY]
      aws AKIAIOSFODNN7EXAMPLE used                        | AKIAIOSFODNN7EXAMPLE        | [API_KEY]
      GET /search?q=x&api_key=abc123secret&page=2          | abc123secret                | api_key=[REDACTED]
      connect password=hunter2 host=db                     | hunter2                     | password=[REDACTED]
      apikey: 9f8e7d6c5b4a                                 | 9f8e7d6c5b4a                | [REDACTED]
      """)
  void masksSecretsAndPersonalDataInText(String text, String secret, String replacement) {
    String masked = sanitizer.sanitize(text);
    assertThat(masked).doesNotContain(secret).contains(replacement);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tools/call echo", "user 42 requested 3 items", "2026-11-25T07:42:12Z",
      "trace 4bf92f3577b34da6a3ce929d0e0e4736", "epoch 1614544192123456", "{\"a\":1,\"b\":[true,null]}",
      "duration_ms=1234"})
  void leavesOrdinaryValuesUntouchedAndUncopied(String text) {
    assertThat(sanitizer.sanitize(text)).isSameAs(text);
  }

  @Test
  void masksSensitiveKeysAtAnyDepthInsideJsonStrings() throws Exception {
    String payload = """
        {"tool":"login","arguments":{"user":"jane","Password":"hunter2","nested":[{"API_KEY":"k-123"},
        {"deeper":{"access_token":"tok-456","note":"mail bob@example.com"}}]},
        "embedded":"{\\"secret\\":\\"inner-789\\"}"}""";
    String masked = sanitizer.sanitize(payload);
    assertThat(masked).doesNotContain("hunter2", "k-123", "tok-456", "bob@example.com", "inner-789")
        .contains("jane", "login", "[REDACTED]", "[EMAIL]");
    JsonNode tree = JSON.readTree(masked);
    assertThat(tree.at("/arguments/Password").asText()).isEqualTo("[REDACTED]");
    assertThat(tree.at("/arguments/nested/1/deeper/note").asText()).isEqualTo("mail [EMAIL]");
  }

  @Test
  void masksSensitiveKeysInTruncatedJsonThatNoLongerParses() {
    String truncated = "{\"user\":\"jane\",\"password\":\"hunter2\",\"arguments\":{\"token\":\"abc";
    assertThat(sanitizer.sanitize(truncated)).doesNotContain("hunter2").doesNotContain("abc")
        .contains("jane");
  }

  @Test
  void masksWholeValueOfSensitiveAttributeKeysOfAnyType() {
    Attributes attributes = Attributes.builder()
        .put("user.password", "hunter2")
        .put("http.request.header.authorization", "Basic dXNlcjpwYXNz")
        .put("X-Api-Key", "abc")
        .put("ssn", 123456789L)
        .put("tool.name", "echo")
        .put("gen_ai.usage.input_tokens", 12L)
        .build();
    Attributes masked = sanitizer.sanitize(attributes);
    assertThat(masked.get(AttributeKey.stringKey("user.password"))).isEqualTo("[REDACTED]");
    assertThat(masked.get(AttributeKey.stringKey("http.request.header.authorization"))).isEqualTo("[REDACTED]");
    assertThat(masked.get(AttributeKey.stringKey("X-Api-Key"))).isEqualTo("[REDACTED]");
    assertThat(masked.get(AttributeKey.stringKey("ssn"))).isEqualTo("[REDACTED]");
    assertThat(masked.get(AttributeKey.stringKey("tool.name"))).isEqualTo("echo");
    assertThat(masked.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(12L);
  }

  @Test
  void masksInsideStringArrays() {
    Attributes attributes = Attributes.of(AttributeKey.stringArrayKey("recipients"),
        List.of("ops", "alice@example.com"));
    assertThat(sanitizer.sanitize(attributes).get(AttributeKey.stringArrayKey("recipients")))
        .containsExactly("ops", "[EMAIL]");
  }

  @Test
  void returnsTheSameAttributesWhenNothingMatches() {
    Attributes attributes = Attributes.builder().put("tool.name", "echo").put("mcp.method.name", "tools/call")
        .put("jsonrpc.request.id", "7").build();
    assertThat(sanitizer.sanitize(attributes)).isSameAs(attributes);
  }

  @Test
  void sensitiveKeyMatchingIsCaseInsensitiveAndSuffixAware() {
    assertThat(sanitizer.isSensitiveKey("PASSWORD")).isTrue();
    assertThat(sanitizer.isSensitiveKey("db.password")).isTrue();
    assertThat(sanitizer.isSensitiveKey("x-api-key")).isTrue();
    assertThat(sanitizer.isSensitiveKey("csrf_token")).isTrue();
    assertThat(sanitizer.isSensitiveKey("token_count")).isFalse();
    assertThat(sanitizer.isSensitiveKey("gen_ai.usage.output_tokens")).isFalse();
    assertThat(sanitizer.isSensitiveKey("mcp.session.id")).isFalse();
  }

  @Test
  void userPatternsAndFieldsApply() {
    PrivacyConfig config = new PrivacyConfig(true, List.of("session_key"),
        List.of(new PrivacyConfig.MaskPattern("ACME-(\\d+)", "ACME-#")), false);
    Sanitizer custom = Sanitizer.create(config);
    assertThat(custom.sanitize("order ACME-12345 shipped")).isEqualTo("order ACME-# shipped");
    assertThat(custom.sanitize("{\"Session-Key\":\"s1\"}")).isEqualTo("{\"Session-Key\":\"[REDACTED]\"}");
    // Only the listed rules: e-mail is not masked without the defaults.
    assertThat(custom.sanitize("a@example.com")).isEqualTo("a@example.com");
  }

  @Test
  void jsonTreesAreMaskedWithoutModifyingTheInput() throws Exception {
    JsonNode input = JSON.readTree("{\"password\":\"p\",\"list\":[\"x@example.com\"],\"n\":1}");
    JsonNode before = input.deepCopy();
    JsonNode masked = sanitizer.sanitize(input);
    assertThat(input).isEqualTo(before);
    assertThat(masked.get("password").asText()).isEqualTo("[REDACTED]");
    assertThat(masked.at("/list/0").asText()).isEqualTo("[EMAIL]");
    JsonNode clean = JSON.readTree("{\"a\":\"b\"}");
    assertThat(sanitizer.sanitize(clean)).isSameAs(clean);
  }
}
