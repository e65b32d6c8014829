package dev.mcpgw.observability.internal.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mcpgw.observability.config.PrivacyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A prefilter may skip a regex only when the regex cannot match; otherwise data would leave unmasked. Checked
 * against random strings built from the characters the patterns care about, and against realistic samples.
 */
class RulePrefiltersTest {

  private static final String ALPHABET = "0123456789012345678901234567890123456789 - - - @.=:\"_/+%"
      + "bearBEARerJyeJyKAIKAIAksk-pk-rk-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final List<String> SAMPLES = List.of(
      "Bearer abc.def", "bearer    xyz", "token eyJhbGciOi.eyJzdWIiOiIxIn0.c2ln", "api_key=abc", "Password: x",
      "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx", "pk-0123456789abcdef0123", "AKIAIOSFODNN7EXAMPLE", "a@b.co",
      "123-45-6789", "4111 1111 1111 1111", "5555-5555-5555-4444", "4111111111111111", "378282246310005",
      "2025-06-18", "550e8400-e29b-41d4-a716-446655440000", "tools/call echo", "{\"password\":\"x\"}",
      "path a\\d end", "mail x@y");

  private static List<String> corpus() {
    Random random = new Random(7);
    List<String> out = new ArrayList<>(SAMPLES);
    for (int i = 0; i < 30_000; i++) {
      int length = 1 + random.nextInt(40);
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < length; j++) {
        b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      out.add(b.toString());
    }
    // Embed every sample in random surroundings too.
    for (String sample : SAMPLES) {
      out.add("x " + sample + " y");
      out.add("(" + sample + ")");
    }
    return out;
  }

  private static void assertSound(String regex) {
    Pattern pattern = Pattern.compile(regex);
    Predicate<TextTraits> prefilter = RulePrefilters.forPattern(regex);
    for (String text : corpus()) {
      if (pattern.matcher(text).find()) {
        assertThat(prefilter.test(TextTraits.of(text))).as("prefilter of %s on '%s'", regex, text).isTrue();
      }
    }
  }

  @Test
  void everyDefaultPatternsPrefilterIsSound() {
    for (PrivacyConfig.MaskPattern p : PrivacyConfig.DEFAULT_MASK_PATTERNS) {
      assertSound(p.regex());
    }
  }

  @Test
  void operatorPatternsGetSoundPrefiltersOrNone() {
    List<String> seedAndOthers = List.of(
        "\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Z|a-z]{2,}\\b",
        "\\b\\d{3}-\\d{2}-\\d{4}\\b",
        "ACME-\\d+",
        "user\\d?x",
        "a\\@b",
        "(foo|bar)@baz",
        "[@#]tag",
        "a\\\\d",
        "\\Q@\\E",
        "x\\@y");
    for (String regex : seedAndOthers) {
      assertSound(regex);
    }
  }

  @Test
  void defaultPatternsSkipOrdinaryValues() {
    TextTraits id = TextTraits.of("550e8400-e29b-41d4-a716-446655440000");
    TextTraits method = TextTraits.of("tools/call");
    long applicable = PrivacyConfig.DEFAULT_MASK_PATTERNS.stream()
        .map(p -> RulePrefilters.forPattern(p.regex()))
        .filter(f -> f.test(id) || f.test(method)).count();
    assertThat(applicable).isZero();
  }

  @Test
  void seedPatternsGetCheapPrefilters() {
    Predicate<TextTraits> email = RulePrefilters.forPattern("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Z|a-z]{2,}\\b");
    Predicate<TextTraits> ssn = RulePrefilters.forPattern("\\b\\d{3}-\\d{2}-\\d{4}\\b");
    assertThat(email.test(TextTraits.of("no at sign here"))).isFalse();
    assertThat(ssn.test(TextTraits.of("no digits here"))).isFalse();
    assertThat(RulePrefilters.forPattern("(foo|bar)@baz").test(TextTraits.of("nothing"))).isTrue();
  }
}
