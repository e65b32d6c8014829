package dev.mcpgw.gateway.plugin.pii;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The built-in detectors, in the order they run: secrets first (a bearer token or key may contain digit runs that
 * look like numbers), then e-mail, card numbers before SSNs and phone numbers (which are shorter digit groups).
 */
final class Detectors {
  static final String KEY_VALUE = "key_value";
  static final String BEARER_TOKEN = "bearer_token";
  static final String API_KEY = "api_key";
  static final String EMAIL = "email";
  static final String CREDIT_CARD = "credit_card";
  static final String SSN = "ssn";
  static final String PHONE = "phone";

  /** Every built-in type, in running order. */
  static final List<String> TYPES = List.of(KEY_VALUE, BEARER_TOKEN, API_KEY, EMAIL, CREDIT_CARD, SSN, PHONE);

  private static final Map<String, Pattern> FIXED = new LinkedHashMap<>();

  static {
    FIXED.put(BEARER_TOKEN, Pattern.compile("(?i)\\b(?:bearer|basic)\\s+[A-Za-z0-9\\-._~+/]{8,}=*"));
    FIXED.put(API_KEY, Pattern.compile(String.join("|",
        "\\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}",
        "\\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}",
        "\\bgh[pousr]_[A-Za-z0-9]{30,}",
        "\\bgithub_pat_[A-Za-z0-9_]{30,}",
        "\\bglpat-[A-Za-z0-9_-]{20,}",
        "\\bAKIA[0-9A-Z]{16}\\b",
        "\\bxox[abprs]-[A-Za-z0-9-]{10,}",
        "\\bAIza[0-9A-Za-z_-]{35}",
        "\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}")));
    // the look-behind lets a match start only where a run of address characters starts: linear, not quadratic, on
    // long runs without an @ (base64 blobs)
    FIXED.put(EMAIL,
        Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"));
    // 4-4-4-4 with one separator, Amex 4-6-5, or 13-19 contiguous digits; the Luhn test then drops other numbers.
    // Not after a '.': the fraction digits of a decimal (0.4111111111111111) pass the Luhn test one time in ten.
    FIXED.put(CREDIT_CARD, Pattern.compile(
        "(?<![\\d.-])(?:\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{4}|\\d{4}([ -])\\d{6}\\2\\d{5}|\\d{13,19})(?![\\d])"));
    FIXED.put(SSN, Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])"));
    FIXED.put(PHONE, Pattern.compile(String.join("|",
        "(?<![\\w+])(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)\\s?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}(?!\\d)",
        "(?<![\\w+])\\+\\d{1,3}(?:[ .-]?\\d{2,4}){2,4}(?!\\d)")));
  }

  private Detectors() {}

  /** Literal parts that every {@link #API_KEY} format contains, for its pre-check. */
  private static final List<String> API_KEY_MARKERS = List.of("sk-", "pk-", "rk-", "_live_", "_test_", "ghp_", "gho_",
      "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "AKIA", "xox", "AIza", "eyJ");

  /**
   * The built-in detectors of {@code types}, in running order.
   *
   * @param sensitiveKeys key names whose value is masked in text such as {@code password=...} ({@link #KEY_VALUE})
   * @param replacement maps a type to the text that replaces its hits
   */
  static List<Detector> builtIn(List<String> types, List<String> sensitiveKeys, Function<String, String> replacement) {
    return TYPES.stream().filter(types::contains)
        .filter(t -> !t.equals(KEY_VALUE) || !sensitiveKeys.isEmpty()) // an empty alternation would match every key
        .map(t -> t.equals(KEY_VALUE) ? keyValue(sensitiveKeys, replacement.apply(t))
            : new Detector(t, FIXED.get(t), 0, accept(t), preCheck(t), replacement.apply(t)))
        .toList();
  }

  /** The check of each hit of the detector of {@code type}. */
  private static Predicate<String> accept(String type) {
    return switch (type) {
      case CREDIT_CARD -> Luhn::isValid;
      case BEARER_TOKEN -> Detectors::isCredential;
      default -> s -> true;
    };
  }

  /**
   * Whether the word after {@code Bearer}/{@code Basic} in a hit is a credential rather than prose ("bearer
   * authentication", "Basic Authentication"): generated tokens and base64 have digits, punctuation or inner capitals.
   */
  static boolean isCredential(String hit) {
    int start = 0;
    while (start < hit.length() && !Character.isWhitespace(hit.charAt(start))) {
      start++;
    }
    while (start < hit.length() && Character.isWhitespace(hit.charAt(start))) {
      start++;
    }
    for (int i = start; i < hit.length(); i++) {
      char c = hit.charAt(i);
      if (!Character.isLetter(c) || (i > start && Character.isUpperCase(c))) {
        return true;
      }
    }
    return false;
  }

  /** What a text must contain for the detector of {@code type} to find anything in it. */
  private static Detector.PreCheck preCheck(String type) {
    return switch (type) {
      case EMAIL -> (text, digits) -> text.indexOf('@') >= 0;
      case CREDIT_CARD -> (text, digits) -> digits >= 13 && longestNumber(text) >= 13;
      case SSN -> (text, digits) -> digits >= 9 && text.indexOf('-') >= 0;
      // NANP needs 10 digits; international forms start with + and have at least 5
      case PHONE -> (text, digits) -> digits >= 10 || (digits >= 5 && text.indexOf('+') >= 0);
      case API_KEY -> (text, digits) -> API_KEY_MARKERS.stream().anyMatch(text::contains);
      case BEARER_TOKEN -> (text, digits) -> containsIgnoreCase(text, "bearer") || containsIgnoreCase(text, "basic");
      default -> Detector.PreCheck.ALWAYS;
    };
  }

  /** The most digits in one number of {@code text}, counting single spaces or dashes between digits as part of it. */
  static int longestNumber(String text) {
    int best = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        best = Math.max(best, ++run);
      } else if (!((c == ' ' || c == '-') && run > 0 && i + 1 < text.length() && isDigit(text.charAt(i + 1)))) {
        run = 0;
      }
    }
    return best;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean containsIgnoreCase(String text, String word) {
    for (int i = 0; i + word.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code key: value}, {@code key=value} or {@code "key": "value"} in text, for every sensitive key (as a suffix); an
   * {@code Authorization: Bearer x} value is masked with its scheme, as one secret.
   */
  private static Detector keyValue(List<String> sensitiveKeys, String replacement) {
    String keys = sensitiveKeys.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    Pattern p = Pattern.compile("(?i)\\b\\w*(?:" + keys + ")[\"']?\\s*[:=]\\s*[\"']?"
        + "((?:(?:bearer|basic)\\s+)?[^\\s\"',;&]+)");
    return new Detector(KEY_VALUE, p, 1, s -> true,
        (text, digits) -> text.indexOf(':') >= 0 || text.indexOf('=') >= 0, replacement);
  }
}
