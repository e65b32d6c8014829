package dev.mcpgw.gateway.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human durations used in settings and on the command line: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601. */
public final class Durations {
  /** The allowed forms, for error messages. */
  public static final String ALLOWED = "a positive duration such as 500ms, 30s, 5m, 1h, 2d or PT30S";

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws InvalidSettingException naming {@code key} when {@code value} is not a positive duration
   */
  public static Duration parse(String key, String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    Duration d;
    Matcher m = SIMPLE.matcher(v);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } else {
        d = Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidSettingException(key, "'" + value + "' is not " + ALLOWED);
    }
    if (d.isZero() || d.isNegative()) {
      throw new InvalidSettingException(key, "'" + value + "' is not " + ALLOWED);
    }
    return d;
  }
}
