package dev.mcpgw.observability.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Data privacy: what is masked before any exporter sees a span, and whether payloads are captured at all.
 *
 * @param sanitizePii whether masking is on ({@code OTEL_SANITIZE_PII}, on by default)
 * @param sensitiveFields attribute and JSON keys whose values are replaced whole, matched case-insensitively
 * @param maskPatterns regexes replaced wherever they occur in a string value
 * @param capturePayloads whether tool arguments and results, prompts and resource contents go on spans
 */
public record PrivacyConfig(
    boolean sanitizePii, List<String> sensitiveFields, List<MaskPattern> maskPatterns, boolean capturePayloads) {

  public PrivacyConfig {
    sensitiveFields = List.copyOf(sensitiveFields);
    maskPatterns = List.copyOf(maskPatterns);
  }

  /** Built-in sensitive keys, always included unless {@code data_privacy.include_defaults} is false. */
  public static final List<String> DEFAULT_SENSITIVE_FIELDS = List.of(
      "password", "passwd", "pwd", "secret", "client_secret", "api_key", "apikey", "token", "access_token",
      "refresh_token", "id_token", "authorization", "cookie", "set-cookie", "private_key", "ssn", "credit_card",
      "card_number", "cvv");

  /** Built-in patterns: e-mail, SSN, card numbers, bearer tokens, JWTs, API keys. */
  public static final List<MaskPattern> DEFAULT_MASK_PATTERNS = List.of(
      new MaskPattern("(?i)\\bbearer\\s+[A-Za-z0-9._~+/-]+=*", "Bearer [TOKEN]"),
      new MaskPattern("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+", "[JWT]"),
      new MaskPattern("(?i)\\b(api[_-]?key|apikey|access[_-]?token|auth[_-]?token|secret|password|passwd)"
          + "(\\s*[=:]\\s*)(?!\\[)[^\\s&,;\"']+", "$1$2[REDACTED]"),
      new MaskPattern("\\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}", "[API_KEY]"),
      new MaskPattern("\\bAKIA[0-9A-Z]{16}\\b", "[API_KEY]"),
      new MaskPattern("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}\\b", "[EMAIL]"),
      new MaskPattern("\\b\\d{3}-\\d{2}-\\d{4}\\b", "[SSN]"),
      new MaskPattern("\\b(?:\\d{4}[ -]){3}\\d{1,7}\\b", "[CARD]"),
      new MaskPattern("\\b(?:4\\d{15}|4\\d{12}|5[1-5]\\d{14}|2[2-7]\\d{14}|3[47]\\d{13}|6(?:011|5\\d{2})\\d{12})\\b",
          "[CARD]"));

  /**
   * One masking rule.
   *
   * @param regex a Java regular expression
   * @param replacement what each match becomes ({@code $1} refers to groups)
   */
  public record MaskPattern(String regex, String replacement) {
    public MaskPattern {
      Objects.requireNonNull(regex, "regex");
      Objects.requireNonNull(replacement, "replacement");
    }

    public Pattern compile() {
      return Pattern.compile(regex);
    }
  }
}
