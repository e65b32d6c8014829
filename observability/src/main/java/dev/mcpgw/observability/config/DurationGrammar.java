package dev.mcpgw.observability.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of every duration setting, of the gateway ({@code MCPGW_*}, its YAML, plugin options, the command
 * line) and of observability ({@code OTEL_*}, {@code observability.*}): a whole number with a unit ({@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}) or ISO-8601 ({@code PT30S}, {@code P1D}). A bare number is
 * milliseconds for an {@code OTEL_*} variable, as the OpenTelemetry specification defines them, and an error for
 * every other key, so that {@code 60} cannot be misread. Negative durations are never accepted.
 */
public final class DurationGrammar {
  private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern BARE = Pattern.compile("\\d+");
  private static final String UNITS = "500ms, 30s, 5m, 1h, 2d or PT30S";

  private DurationGrammar() {}

  /** Whether a bare number means milliseconds for {@code key}: only for {@code OTEL_*} variables. */
  public static boolean bareNumberIsMillis(String key) {
    return key.startsWith("OTEL_");
  }

  /** What {@code key} accepts, for error messages. */
  public static String expected(String key, boolean positive) {
    String what = positive ? "a positive duration" : "a duration";
    return bareNumberIsMillis(key) ? what + ": whole milliseconds or with a unit: " + UNITS
        : what + " with a unit, such as " + UNITS;
  }

  /**
   * A zero or positive duration.
   *
   * @throws IllegalArgumentException saying what {@code key} accepts (without the key: the caller's exception names it)
   */
  public static Duration parse(String key, String value) {
    Duration d = parseOrNull(key, value);
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("'" + value + "' is not " + expected(key, false));
    }
    return d;
  }

  /** As {@link #parse} but zero is refused too. */
  public static Duration parsePositive(String key, String value) {
    Duration d = parseOrNull(key, value);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("'" + value + "' is not " + expected(key, true));
    }
    return d;
  }

  private static Duration parseOrNull(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (BARE.matcher(v).matches()) {
        return bareNumberIsMillis(key) ? Duration.ofMillis(Long.parseLong(v)) : null;
      }
      Matcher m = WITH_UNIT.matcher(v);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return v.startsWith("p") ? Duration.parse(v.toUpperCase(Locale.ROOT)) : null;
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      return null;
    }
  }
}
